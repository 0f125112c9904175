using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;

namespace Hanko.Webhooks.Tests.Docs;

/// <summary>README's "Without ASP.NET Core" example: a whole webhook host on <see cref="HttpListener"/> (no extra package).</summary>
public static class HttpListenerHost
{
    /// <summary>Serves Hanko deliveries at <paramref name="prefix"/> until the listener is stopped.</summary>
    public static async Task ServeAsync(IServiceProvider services, string prefix, CancellationToken ct)
    {
        #region readme-httplistener
        var receiver = services.GetRequiredService<IHankoWebhookReceiver>();  // from services.AddHankoWebhooks().AddHandler<...>()
        using var listener = new HttpListener();
        listener.Prefixes.Add(prefix);                                          // e.g. "http://127.0.0.1:5080/webhooks/hanko/"
        listener.Start();
        while (!ct.IsCancellationRequested)
        {
            var context = await listener.GetContextAsync().WaitAsync(ct);
            var request = context.Request;
            var result = await receiver.ReceiveAsync(request.InputStream, new HankoRequestInfo(request.ContentType, request.ContentLength64), ct);
            context.Response.StatusCode = result.StatusCode;                   // decided by the core: 200, 202, 4xx or 5xx
            if (result.ProblemTitle is not null)
            {
                await context.Response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes($"{result.ProblemTitle}: {result.ProblemDetail}"), ct);
            }

            context.Response.Close();
        }
        #endregion
    }
}
