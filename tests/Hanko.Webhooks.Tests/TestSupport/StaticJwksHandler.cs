using System.Net;
using System.Text;

namespace Hanko.Webhooks.Tests.TestSupport;

/// <summary>Serves a fixed JWKS document and counts the requests.</summary>
internal sealed class StaticJwksHandler(string json) : HttpMessageHandler
{
    private int _requests;

    public int Requests => Volatile.Read(ref _requests);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(json, Encoding.UTF8, "application/json") });
    }
}
