using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using FluentAssertions;
using Hanko.Webhooks.Testing;
using Hanko.Webhooks.TestSupport;
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
/// A bounded soak on loopback: a steady stream of genuine and forged deliveries over real HTTP to a Kestrel receiver while
/// the JWKS server (a second Kestrel) rotates its key, then answers 500, then drops connections, then recovers.
/// </summary>
[NonParallelizable]
public sealed class SoakTests
{
    private static readonly TimeSpan Cooldown = TimeSpan.FromMilliseconds(500);

    private enum JwksMode
    {
        Normal,
        ServerError,
        Refuse,
    }

    [Test]
    public async Task Soak_KeyRotationAndJwksOutage_NoValidRefused_NoForgeryDispatched_JwksRequestsBounded()
    {
        using var hanko = new FakeHanko();
        using var attacker = new FakeHanko();
        var mode = (int)JwksMode.Normal;
        var jwksRequests = 0;

        var jwksBuilder = WebApplication.CreateSlimBuilder();
        jwksBuilder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        jwksBuilder.Logging.ClearProviders();
        await using var jwks = jwksBuilder.Build();
        jwks.MapGet("/.well-known/jwks.json", (HttpContext context) =>
        {
            Interlocked.Increment(ref jwksRequests);
            switch (Volatile.Read(ref mode))
            {
                case (int)JwksMode.ServerError:
                    context.Response.StatusCode = 500;
                    return Task.CompletedTask;
                case (int)JwksMode.Refuse:
                    context.Abort(); // the connection is dropped: a transport error for the client
                    return Task.CompletedTask;
                default:
                    context.Response.Headers.CacheControl = "max-age=1";
                    context.Response.ContentType = "application/json";
                    return context.Response.WriteAsync(hanko.GetJwksJson());
            }
        });
        await jwks.StartAsync();

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<Recorder>();
        builder.Services.AddHankoWebhooks(o =>
            {
                o.JwksUrl = Address(jwks) + "/.well-known/jwks.json";
                o.Audience = "localhost";
                o.JwksRefetchCooldown = Cooldown;
                o.JwksMinimumRefreshInterval = TimeSpan.FromSeconds(1);
            })
            .AddHandler<AllEventsHandler>();
        await using var receiver = builder.Build();
        receiver.MapHankoWebhooks();
        var clock = Stopwatch.StartNew();
        await receiver.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(Address(receiver)) };

        var forgeries = new Func<HankoDelivery>[]
        {
            () => hanko.CreateTamperedPayloadDelivery(),
            () => hanko.CreateTamperedSignatureDelivery(),
            () => hanko.CreateUnknownKeyDelivery(),
            () => hanko.CreateSessionTokenDelivery(),
            () => hanko.CreateAlgNoneDelivery(),
            () => hanko.CreateHs256WithPublicKeyDelivery(),
            () => hanko.CreateExpiredDelivery(),
            () => hanko.CreateWrongAudienceDelivery(),
            () => hanko.CreateEventMismatchDelivery(),
            () => attacker.CreateDelivery(HankoEventNames.UserCreate, o => o.KeyIdOverride = hanko.SigningKey.KeyId),
        };

        var results = new ConcurrentQueue<(bool Valid, string KeyId, Guid Marker, HttpStatusCode Status, TimeSpan At)>();
        var acceptedFirst = new ConcurrentDictionary<string, TimeSpan>();
        using var stop = new CancellationTokenSource();
        // Six senders: a forged unknown kid now waits for the next allowed fetch (up to one cooldown) before its 401.
        var senders = Enumerable.Range(0, 6).Select(worker => Task.Run(async () =>
        {
            var rng = new Random(worker);
            while (!stop.IsCancellationRequested)
            {
                var valid = rng.Next(2) == 0;
                var marker = Guid.NewGuid();
                var key = hanko.SigningKey;
                var delivery = valid
                    ? hanko.CreateDelivery(HankoEventNames.UserLogin, o => (o.Key, o.EditData) = (key, d => d["id"] = marker.ToString()))
                    : forgeries[rng.Next(forgeries.Length)]();
                using var response = await client.PostAsync("/webhooks/hanko", delivery.ToHttpContent());
                results.Enqueue((valid, key.KeyId, marker, response.StatusCode, clock.Elapsed));
                await Task.Delay(5);
            }
        })).ToArray();

        // The timeline: 3 s steady, rotate, 3 s, JWKS answers 500 for 3 s, drops connections for 3 s, recovers for 2 s.
        await Task.Delay(3000);
        var newKey = hanko.RotateKey();
        var rotatedAt = clock.Elapsed;
        await Task.Delay(3000);
        Volatile.Write(ref mode, (int)JwksMode.ServerError);
        await Task.Delay(3000);
        Volatile.Write(ref mode, (int)JwksMode.Refuse);
        await Task.Delay(3000);
        Volatile.Write(ref mode, (int)JwksMode.Normal);
        await Task.Delay(2000);
        await stop.CancelAsync();
        await Task.WhenAll(senders);
        var elapsed = clock.Elapsed;
        var requests = Volatile.Read(ref jwksRequests);
        await receiver.StopAsync();

        var all = results.ToList();
        var valid = all.Where(r => r.Valid).ToList();
        var forged = all.Where(r => !r.Valid).ToList();
        foreach (var r in valid.Where(r => r.Status == HttpStatusCode.OK).OrderBy(r => r.At))
        {
            acceptedFirst.TryAdd(r.KeyId, r.At);
        }

        // "A cached key applies" from the first time a delivery signed with it was accepted: after that, never a refusal.
        var refusedWhileHeld = valid.Where(r => r.Status != HttpStatusCode.OK && acceptedFirst.TryGetValue(r.KeyId, out var first) && r.At > first).ToList();
        var refusedBeforeHeld = valid.Count(r => r.Status != HttpStatusCode.OK) - refusedWhileHeld.Count;
        var recorded = receiver.Services.GetRequiredService<Recorder>().Calls.Select(c => ((UserEvent)c.Event).User.Id).ToList();
        var acceptedMarkers = valid.Where(r => r.Status == HttpStatusCode.OK).Select(r => r.Marker).ToHashSet();

        // Every JWKS request starts at least one cooldown after the one before it (scheduled refreshes, unknown kids and
        // failures alike; the shorter retry delays apply only while no key is held, which never happens here), so over the
        // whole run there can be at most 1 + elapsed / cooldown of them. Since issue 9 a new forged kid waits for the next
        // allowed fetch instead of being refused within the cooldown, so the run comes close to that bound; it is the
        // same bound as before.
        // The store spaces its fetches on the system clock and timers, the test measures with a Stopwatch: a fetch due at a
        // cooldown boundary can land on either side of the run's end, so the bound rounds the last partial cooldown up
        // (one CI run and one loaded local run counted exactly one over the floor).
        var bound = 1 + (int)Math.Ceiling(elapsed / Cooldown);
        TestContext.Out.WriteLine($"soak {elapsed.TotalSeconds:F1} s: {valid.Count} valid deliveries ({acceptedMarkers.Count} accepted, {refusedBeforeHeld} refused before their new key was fetched, {refusedWhileHeld.Count} refused while their key was held), {forged.Count} forged (0 accepted: {forged.Count(r => (int)r.Status < 400)}), key rotated at {rotatedAt.TotalSeconds:F1} s, new key first accepted at {(acceptedFirst.TryGetValue(newKey.KeyId, out var t) ? $"{t.TotalSeconds:F2} s" : "never")}");
        TestContext.Out.WriteLine($"JWKS requests: {requests} (bound 1 + {elapsed.TotalSeconds:F1} s / {Cooldown.TotalMilliseconds} ms = {bound}); forged refusals by status: {string.Join(", ", forged.GroupBy(r => (int)r.Status).Select(g => $"{g.Key}: {g.Count()}"))}");

        refusedWhileHeld.Should().BeEmpty("a held key keeps verifying through rotation, 500s and dropped connections");
        // 401, or 503 for a forged unknown key id while the JWKS is down (the key cannot be checked then).
        forged.Should().OnlyContain(r => r.Status == HttpStatusCode.Unauthorized || r.Status == HttpStatusCode.ServiceUnavailable, "forgeries are refused, never accepted");
        recorded.Should().OnlyHaveUniqueItems().And.BeEquivalentTo(acceptedMarkers, "every accepted delivery was dispatched once and nothing else was");
        acceptedFirst.Should().ContainKey(newKey.KeyId, "the rotated key is picked up");
        valid.Count.Should().BeGreaterThan(150, "enough genuine traffic through every phase to mean something");
        refusedBeforeHeld.Should().Be(0, "a delivery signed by the rotated key waits for the next allowed fetch: the rotation loses nothing");
        requests.Should().BeLessThanOrEqualTo(bound).And.BeGreaterThan(2);
    }

    private static string Address(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
}
