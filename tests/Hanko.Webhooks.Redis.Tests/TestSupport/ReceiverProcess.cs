using System.Diagnostics;
using Hanko.Webhooks.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using NUnit.Framework;

namespace Hanko.Webhooks.Redis.Tests.TestSupport;

/// <summary>A receiver <em>process</em> (Hanko.Webhooks.Redis.TestReceiver): durable processing on the given Redis.</summary>
internal sealed class ReceiverProcess : IDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ReceiverProcess(Process process) => _process = process;

    /// <summary>What the receiver wrote to its standard output (its log lines at Warning and above), for a failure message.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Output { get; } = new();

    /// <summary>The webhook URL, known once <see cref="Ready"/> (the process picks its own port).</summary>
    public string Url { get; private set; } = string.Empty;

    /// <summary>Serves the fake Hanko's JWKS at <c>/jwks</c> over real HTTP, for receiver processes.</summary>
    public static async Task<WebApplication> StartJwksAsync(FakeHanko hanko)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/jwks", () => Results.Text(hanko.GetJwksJson(), "application/json"));
        await app.StartAsync();
        return app;
    }

    public Task Ready => _ready.Task.WaitAsync(TimeSpan.FromSeconds(60));

    public static ReceiverProcess Start(string redis, string jwksUrl, string prefix, int handlerMs, IReadOnlyDictionary<string, string>? environment = null)
    {
        var dll = Path.Combine(AppContext.BaseDirectory.Replace("Hanko.Webhooks.Redis.Tests", "Hanko.Webhooks.Redis.TestReceiver", StringComparison.Ordinal), "Hanko.Webhooks.Redis.TestReceiver.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        start.Environment["JWKS_URL"] = jwksUrl;
        start.Environment["REDIS"] = redis;
        start.Environment["PREFIX"] = prefix;
        start.Environment["HANDLER_MS"] = handlerMs.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["VISIBILITY_MS"] = "2000";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var receiver = new ReceiverProcess(Process.Start(start)!);
        receiver._process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } output)
            {
                receiver.Output.Enqueue(output);
            }

            if (e.Data is { } line && line.StartsWith("ready ", StringComparison.Ordinal))
            {
                receiver.Url = line["ready ".Length..];
                receiver._ready.TrySetResult();
            }
        };
        receiver._process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { TestContext.Progress.WriteLine("receiver: " + e.Data); } };
        receiver._process.Exited += (_, _) => receiver._ready.TrySetException(new InvalidOperationException("the receiver exited"));
        receiver._process.EnableRaisingEvents = true;
        receiver._process.BeginOutputReadLine();
        receiver._process.BeginErrorReadLine();
        return receiver;
    }

    /// <summary>SIGKILL: the process gets no chance to finish, acknowledge or log anything.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit(5000);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }
}
