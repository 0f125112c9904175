using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;
using FluentAssertions;
using Hanko.Webhooks.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace Hanko.Webhooks.AspNetCore.Tests;

/// <summary>
/// The depth of the path from Kestrel to a handler (docs/hot-path.md): an inline delivery over a real Kestrel, whose body
/// is already buffered and key already cached, runs synchronously up to the handler, so every SDK method still open is
/// on the handler's stack. Holds the layers removed from that path, so that a forwarding layer added back fails here.
/// </summary>
[NonParallelizable]
public sealed class HotPathTests
{
    private static readonly ConcurrentQueue<IReadOnlyList<string>> Captured = new();

    [Test]
    public async Task InlineDelivery_ReachesTheHandlerThroughAtMostFiveSdkFrames()
    {
        using var hanko = new FakeHanko();
        var jwksBuilder = WebApplication.CreateSlimBuilder();
        jwksBuilder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        jwksBuilder.Logging.ClearProviders();
        await using var jwks = jwksBuilder.Build();
        jwks.MapGet("/.well-known/jwks.json", (HttpContext context) =>
        {
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync(hanko.GetJwksJson());
        });
        await jwks.StartAsync();

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddHankoWebhooks(o =>
            {
                o.JwksUrl = Address(jwks) + "/.well-known/jwks.json";
                o.Audience = "localhost";
            })
            .AddHandler<StackCapturingHandler>();
        await using var app = builder.Build();
        app.MapHankoWebhooks();
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(Address(app)) };

        // A capture that includes the endpoint saw the whole chain; a body that arrived after the headers (the read had to
        // wait) cuts it short, so deliveries are sent until one ran through whole (almost always the first).
        Captured.Clear();
        List<IReadOnlyList<string>> whole = [];
        for (var i = 0; i < 20 && whole.Count == 0; i++)
        {
            using var response = await client.PostAsync("/webhooks/hanko", hanko.CreateDelivery(HankoEventNames.UserCreate).ToHttpContent());
            response.IsSuccessStatusCode.Should().BeTrue();
            whole = [.. Captured.Where(frames => frames.Any(f => f.StartsWith("HankoWebhookEndpoint.", StringComparison.Ordinal)))];
        }

        whole.Should().NotBeEmpty("a small body on 127.0.0.1 is buffered before the endpoint runs, so the path runs synchronously to the handler");
        foreach (var frames in whole)
        {
            frames[0].Should().EndWith(".InvokeAsync", "the handler is called by its event type's slot");
            frames.Should().HaveCountLessThanOrEqualTo(5, "endpoint → receiver (read, then verify, claim and dispatch) → dispatcher → the handler's slot, and no forwarding layer: {0}", string.Join(" ← ", frames));
        }
    }

    private static string Address(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    /// <summary>The SDK methods on the stack, innermost first; an async method counted once (its body, not its stub).</summary>
    private static List<string> SdkFrames()
    {
        var sdk = new[] { typeof(IHankoWebhookReceiver).Assembly, typeof(HankoWebhookEndpointOptions).Assembly };
        var frames = new List<string>();
        foreach (var frame in new StackTrace().GetFrames())
        {
            if (frame.GetMethod() is not { DeclaringType: { } type } method || !sdk.Contains(type.Assembly)
                || method.GetCustomAttribute<AsyncStateMachineAttribute>() is not null)
            {
                continue;
            }

            // A state machine's MoveNext is named after its method; a lambda's closure after the method that made it.
            var owner = type;
            while (owner.DeclaringType is { } outer && owner.Name.StartsWith('<'))
            {
                owner = outer;
            }

            var name = method.Name == "MoveNext" && type.Name.StartsWith('<') ? type.Name[1..type.Name.IndexOf('>', StringComparison.Ordinal)] : method.Name;
            frames.Add($"{owner.Name}.{name}");
        }

        return frames;
    }

    public sealed class StackCapturingHandler : IHankoEventHandler<UserCreateEvent>
    {
        public Task HandleAsync(UserCreateEvent @event, CancellationToken cancellationToken)
        {
            Captured.Enqueue(SdkFrames());
            return Task.CompletedTask;
        }
    }
}
