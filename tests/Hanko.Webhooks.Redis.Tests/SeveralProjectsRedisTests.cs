using System.Collections.Concurrent;
using System.Net;
using FluentAssertions;
using Hanko.Webhooks.Redis.Tests.TestSupport;
using Hanko.Webhooks.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace Hanko.Webhooks.Redis.Tests;

/// <summary>
/// Two Hanko projects, "a" and "b", each with <c>UseRedis().UseDurableProcessing()</c> on one real redis-server and one key
/// prefix: each has its own claims, stream, consumer group and dead letters, its workers dispatch with its own handlers.
/// Both projects trust the same keys and audience, so the very same token (the same delivery id) is accepted by both.
/// </summary>
[NonParallelizable]
public sealed class SeveralProjectsRedisTests : RedisTests
{
    [Test]
    public async Task SameDeliveryOnAAndB_BothStoredAndProcessed_EachByItsOwnHandlers_UnderItsOwnKeys()
    {
        var prefix = "p-" + Guid.NewGuid().ToString("N")[..8];
        var seen = new Seen();
        await using var app = await StartAsync(prefix, seen);
        var delivery = app.Hanko.CreateDelivery(HankoEventNames.UserCreate);
        var id = Deliveries.IdOf(delivery);

        (await app.PostAsync(delivery, "/webhooks/hanko/a")).StatusCode.Should().Be(HttpStatusCode.Accepted, "stored for a");
        (await app.PostAsync(delivery, "/webhooks/hanko/b")).StatusCode.Should().Be(HttpStatusCode.Accepted, "the same delivery id on b is not a replay of a's");
        (await app.PostAsync(delivery, "/webhooks/hanko/a")).StatusCode.Should().Be(HttpStatusCode.OK, "a second copy on a is a's duplicate");

        await Outcomes.WaitForAsync(() => seen.Own.Count == 2 && seen.Shared.Count == 2, "each project's workers process its stored delivery");
        await Task.Delay(200); // nothing more may come
        seen.Own.Should().BeEquivalentTo([("a", "a", id), ("b", "b", id)], "the handler of a ran for a's delivery only, b's for b's, each with its Project");
        seen.Shared.Should().BeEquivalentTo([("a", id), ("b", id)], "the shared handler saw both, with the right Project");

        foreach (var project in new[] { "a", "b" })
        {
            var tag = "{" + prefix + ":" + project + "}";
            (await Db.StringGetAsync(tag + ":claim:" + id)).HasValue.Should().BeTrue($"{project}'s claim is under its own hash tag");
            var groups = await Db.StreamGroupInfoAsync(tag + ":stream");
            groups.Should().ContainSingle().Which.Name.Should().Be("hanko-workers", $"{project} has its own stream and consumer group");
        }

        (await Db.KeyExistsAsync("{" + prefix + "}:claim:" + id)).Should().BeFalse("no project writes under the app's bare prefix");
        (await Db.KeyExistsAsync("{" + prefix + "}:stream")).Should().BeFalse();
    }

    [Test]
    public async Task DeadLettersOfA_AreNotB_s_HealthDegradedForAOnly_RetryGoesBackToA()
    {
        var prefix = "p-" + Guid.NewGuid().ToString("N")[..8];
        var seen = new Seen { FailFor = "a" };
        await using var app = await StartAsync(prefix, seen);
        var delivery = app.Hanko.CreateDelivery(HankoEventNames.UserLogin);
        var id = Deliveries.IdOf(delivery);

        (await app.PostAsync(delivery, "/webhooks/hanko/a")).StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await app.PostAsync(delivery, "/webhooks/hanko/b")).StatusCode.Should().Be(HttpStatusCode.Accepted);

        var services = app.App.Services;
        var deadA = services.GetRequiredKeyedService<IHankoDeadLetters>("a");
        var deadB = services.GetRequiredKeyedService<IHankoDeadLetters>("b");
        await Outcomes.WaitForAsync(() => deadA.CountAsync().Result == 1, "a's failing handler sends a's delivery to a's dead letters");
        await Outcomes.WaitForAsync(() => seen.Own.Contains(("b", "b", id)), "b processes its copy");
        (await deadB.CountAsync()).Should().Be(0, "a's dead letters are not b's");
        var dead = (await deadA.ListAsync()).Single();
        dead.DeliveryId.Should().Be(id);
        dead.Reason.Should().Contain("not for a today");
        (await Db.StreamLengthAsync("{" + prefix + ":a}:dead")).Should().Be(1);
        (await Db.StreamLengthAsync("{" + prefix + ":b}:dead")).Should().Be(0);
        services.GetService<IHankoDeadLetters>().Should().BeNull("no unnamed project uses durable processing here");

        var health = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        health.Entries[HankoWebhooksRedisBuilderExtensions.DefaultHealthCheckName + "-a"].Status.Should().Be(HealthStatus.Degraded);
        health.Entries["hanko-webhooks-durable-b"].Status.Should().Be(HealthStatus.Healthy);
        health.Entries.Should().NotContainKey(HankoWebhooksRedisBuilderExtensions.DefaultHealthCheckName);

        seen.FailFor = null;
        (await deadB.RetryAsync(dead.Id)).Should().BeFalse("b cannot retry a's dead letter");
        (await deadA.RetryAsync(dead.Id)).Should().BeTrue();
        await Outcomes.WaitForAsync(() => seen.Own.Contains(("a", "a", id)), "the retried dead letter is processed by a's handlers");
        seen.Own.Count(o => o.Project == "b").Should().Be(1, "b's handler did not run again");
    }

    [Test]
    public async Task EntryOfA_CopiedIntoB_sStream_DoesNotOpenInB_DataProtectionPurposeNamesTheProject()
    {
        var prefix = "p-" + Guid.NewGuid().ToString("N")[..8];
        var seen = new Seen { Hold = true }; // a's handler waits: its entry stays in a's stream to be copied
        await using var app = await StartAsync(prefix, seen);
        var delivery = app.Hanko.CreateDelivery(HankoEventNames.UserCreate);

        (await app.PostAsync(delivery, "/webhooks/hanko/a")).StatusCode.Should().Be(HttpStatusCode.Accepted);
        var entry = (await Db.StreamRangeAsync("{" + prefix + ":a}:stream")).Single();
        await Db.StreamAddAsync("{" + prefix + ":b}:stream", entry.Values);

        var deadB = app.App.Services.GetRequiredKeyedService<IHankoDeadLetters>("b");
        await Outcomes.WaitForAsync(() => deadB.CountAsync().Result == 1, "b cannot open a's entry and dead-letters it");
        (await deadB.ListAsync()).Single().Reason.Should().Contain("could not be unprotected");
        seen.Own.Should().NotContain(o => o.Project == "b", "b's handlers never saw a's entry");
        seen.Shared.Should().NotContain(s => s.Project == "b");
    }

    [Test]
    public async Task InvalidDurableOptions_OfANamedProject_FailTheStart_NamingTheProject()
    {
        var prefix = "p-" + Guid.NewGuid().ToString("N")[..8];
        var start = () => StartAsync(prefix, new Seen(), b => b.UseDurableProcessing(o => o.RetryDelays = [TimeSpan.FromSeconds(-1)]));

        (await start.Should().ThrowAsync<OptionsValidationException>())
            .Which.Message.Should().Contain("Hanko project \"b\": HankoDurableProcessingOptions.RetryDelays must not be null or hold a negative delay.");
    }

    private Task<TestApp> StartAsync(string prefix, Seen seen, Action<HankoWebhooksBuilder>? moreForB = null) =>
        TestApp.StartAsync(
            configure: b =>
            {
                b.Services.AddSingleton(seen);
                b.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(300)); // a held handler is abandoned
                b.Services.AddScoped<IHankoEventHandler<HankoEvent>, SharedHandler>(); // shared: every project runs it
                b.Services.AddDataProtection().SetApplicationName("hanko-tests").PersistKeysToStackExchangeRedis(Client, prefix + ":dp-keys");
                foreach (var project in new[] { "a", "b" })
                {
                    var builder = b.Services.AddHankoWebhooks(project, o => (o.JwksUrl, o.Audience) = ($"https://{project}.hanko.test/.well-known/jwks.json", "localhost"));
                    _ = project == "a" ? builder.AddHandler<OwnHandler<A>>() : builder.AddHandler<OwnHandler<B>>();
                    builder.UseRedis(o => (o.Configuration, o.KeyPrefix) = (Redis.Configuration, prefix))
                        .UseDurableProcessing(o =>
                        {
                            o.RetryDelays = [TimeSpan.FromMilliseconds(20)];
                            o.VisibilityTimeout = TimeSpan.FromSeconds(1);
                            o.MaintenanceInterval = TimeSpan.FromMilliseconds(50);
                            o.PollInterval = TimeSpan.FromMilliseconds(20);
                        });
                    if (project == "b")
                    {
                        moreForB?.Invoke(builder);
                    }
                }
            },
            map: app =>
            {
                app.MapHankoWebhooks("/webhooks/hanko/a", "a");
                app.MapHankoWebhooks("/webhooks/hanko/b", "b");
            });

    // Marker types naming the per-project handlers.
    internal sealed class A;

    internal sealed class B;

    /// <summary>What the handlers saw: (handler's project, event's project, delivery id) and the shared handler's (project, id).</summary>
    internal sealed class Seen
    {
        public ConcurrentBag<(string Handler, string? Project, string DeliveryId)> Own { get; } = [];

        public ConcurrentBag<(string? Project, string DeliveryId)> Shared { get; } = [];

        public volatile string? FailFor;

        public volatile bool Hold;
    }

    internal sealed class OwnHandler<TProject>(Seen seen) : IHankoEventHandler<HankoEvent>
    {
        private static readonly string Name = typeof(TProject) == typeof(A) ? "a" : "b";

        public async Task HandleAsync(HankoEvent @event, CancellationToken cancellationToken)
        {
            if (seen.Hold && Name == "a")
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            if (seen.FailFor == Name)
            {
                throw new HankoDoNotRetryException($"not for {Name} today");
            }

            seen.Own.Add((Name, @event.Project, @event.DeliveryId));
        }
    }

    internal sealed class SharedHandler(Seen seen) : IHankoEventHandler<HankoEvent>
    {
        public Task HandleAsync(HankoEvent @event, CancellationToken cancellationToken)
        {
            seen.Shared.Add((@event.Project, @event.DeliveryId));
            return Task.CompletedTask;
        }
    }
}
