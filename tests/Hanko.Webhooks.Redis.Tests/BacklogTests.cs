using System.Net;
using FluentAssertions;
using Hanko.Webhooks.Redis.Tests.TestSupport;
using Hanko.Webhooks.Testing;
using Hanko.Webhooks.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using NUnit.Framework;

namespace Hanko.Webhooks.Redis.Tests;

/// <summary>
/// The backlog of durable processing (the deliveries stored and not yet done, and how long the oldest has waited): the
/// gauges <c>hanko.webhooks.durable.backlog</c> and <c>…backlog.oldest_age</c>, and the health entry Degraded while the
/// oldest has waited too long. Real redis-server; handlers blocked until the test releases them.
/// </summary>
[NonParallelizable]
public sealed class BacklogTests : RedisTests
{
    private const string BacklogGauge = "hanko.webhooks.durable.backlog";
    private const string AgeGauge = "hanko.webhooks.durable.backlog.oldest_age";

    private static string NewPrefix() => "b-" + Guid.NewGuid().ToString("N")[..8];

    [Test]
    public async Task BacklogGauges_CountTheDeliveriesWaitingAndRunning_WithAnAgeThatGrows_AndFallToZeroOnceProcessed()
    {
        using var telemetry = new TelemetryCapture();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var outcomes = new Outcomes { Decide = (_, _, ct) => release.Task.WaitAsync(ct) };
        await using var app = await DurableHost.StartAsync(Redis, new FakeHanko(), NewPrefix(), outcomes, o => (o.Concurrency, o.MonitorInterval) = (2, TimeSpan.FromMilliseconds(50)));

        var responses = await Task.WhenAll(Deliveries.Distinct(app.Hanko, 5).Select(d => app.PostAsync(d)));
        responses.Select(r => r.StatusCode).Should().OnlyContain(s => s == HttpStatusCode.Accepted);
        await Outcomes.WaitForAsync(() => outcomes.Attempts.Count == 2, "two workers run a delivery each; three wait");

        await Outcomes.WaitForAsync(() => Read(telemetry, BacklogGauge) == 5, "the gauge counts the two running and the three waiting");
        var firstAge = Read(telemetry, AgeGauge);
        firstAge.Should().BeGreaterThanOrEqualTo(0);
        await Outcomes.WaitForAsync(() => Read(telemetry, AgeGauge) >= firstAge + 0.5, "the oldest delivery's age grows while it is not done");
        Read(telemetry, BacklogGauge).Should().Be(5, "nothing was done meanwhile");
        telemetry.Of(AgeGauge)[^1].Unit.Should().Be("s");

        release.SetResult();
        await Outcomes.WaitForAsync(() => outcomes.Successes.Count == 5, "the workers process all five");
        await Outcomes.WaitForAsync(() => Read(telemetry, BacklogGauge) == 0 && Read(telemetry, AgeGauge) == 0, "the backlog is empty once they are acknowledged");
    }

    [Test]
    public async Task BacklogGauge_OnAReceiveOnlyInstance_CountsWhatWaitsForAWorker_BeforeAnyWorkerCreatedTheGroup()
    {
        using var telemetry = new TelemetryCapture();
        await using var app = await DurableHost.StartAsync(Redis, new FakeHanko(), NewPrefix(), new Outcomes(), o => (o.Concurrency, o.MonitorInterval) = (0, TimeSpan.FromMilliseconds(50)));

        var responses = await Task.WhenAll(Deliveries.Distinct(app.Hanko, 3).Select(d => app.PostAsync(d)));

        responses.Select(r => r.StatusCode).Should().OnlyContain(s => s == HttpStatusCode.Accepted);
        await Outcomes.WaitForAsync(() => Read(telemetry, BacklogGauge) == 3, "a receiver only measures too: three stored, no worker anywhere");
        await Outcomes.WaitForAsync(() => Read(telemetry, AgeGauge) > 0.2, "and they age");
    }

    [Test]
    public async Task DurableHealth_DegradedWhileTheOldestPendingDeliveryWaitsLongerThanTheThreshold_HealthyAgainOnceDrained()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var outcomes = new Outcomes { Decide = (_, _, ct) => release.Task.WaitAsync(ct) };
        await using var app = await DurableHost.StartAsync(Redis, new FakeHanko(), NewPrefix(), outcomes, o => o.BacklogAgeThreshold = TimeSpan.FromSeconds(1));
        var health = app.App.Services.GetRequiredService<HealthCheckService>();

        var idle = await DurableHealth.EntryAsync(health);
        idle.Status.Should().Be(HealthStatus.Healthy, idle.Description);
        idle.Data["pending"].Should().Be(0L);
        idle.Data["oldestPendingSeconds"].Should().Be(0d);

        var responses = await Task.WhenAll(Deliveries.Distinct(app.Hanko, 3).Select(d => app.PostAsync(d)));
        responses.Select(r => r.StatusCode).Should().OnlyContain(s => s == HttpStatusCode.Accepted);
        await Outcomes.WaitForAsync(() => DurableHealth.EntryAsync(health).Result.Status == HealthStatus.Degraded, "Degraded once the oldest has waited more than 1 s");
        var old = await DurableHealth.EntryAsync(health);
        old.Data["pending"].Should().Be(3L, "the three running deliveries are not done");
        ((double)old.Data["oldestPendingSeconds"]).Should().BeGreaterThan(1);
        old.Description.Should().Contain("The oldest of 3 pending Hanko webhook delivery(ies) has waited").And.Contain("(more than 1 s): the workers do not keep up, or none runs.");
        old.Data["deadLetters"].Should().Be(0L, "Degraded for the backlog alone");

        release.SetResult();
        await Outcomes.WaitForAsync(() => outcomes.Successes.Count == 3, "the workers finish");
        await Outcomes.WaitForAsync(() => DurableHealth.EntryAsync(health).Result.Status == HealthStatus.Healthy, "Healthy again once the backlog drained");
        (await DurableHealth.EntryAsync(health)).Data["pending"].Should().Be(0L);
    }

    [Test]
    public async Task Backlog_WithRetention_CountsOnlyWhatIsNotDone_NotTheRetainedEntries()
    {
        var prefix = NewPrefix();
        var outcomes = new Outcomes();
        await using (var worker = await DurableHost.StartAsync(Redis, new FakeHanko(), prefix, outcomes, o => (o.Concurrency, o.Retention) = (1, TimeSpan.FromMinutes(5))))
        {
            await Task.WhenAll(Deliveries.Distinct(worker.Hanko, 2).Select(d => worker.PostAsync(d)));
            await Outcomes.WaitForAsync(() => outcomes.Successes.Count == 2, "two processed (and kept, acknowledged, for inspection)");
        }

        await Task.Delay(TimeSpan.FromSeconds(3)); // the retained entries are now at least 3 s old
        await using var receiver = await DurableHost.StartAsync(Redis, new FakeHanko(), prefix, outcomes, o => (o.Concurrency, o.Retention) = (0, TimeSpan.FromMinutes(5)));
        await Task.WhenAll(Deliveries.Distinct(receiver.Hanko, 2).Select(d => receiver.PostAsync(d)));

        var entry = await DurableHealth.EntryAsync(receiver.App.Services.GetRequiredService<HealthCheckService>());
        (await Db.StreamLengthAsync("{" + prefix + "}:stream")).Should().Be(4, "the stream holds the two retained entries too");
        entry.Data["pending"].Should().Be(2L, "only the two unread ones are not done");
        ((double)entry.Data["oldestPendingSeconds"]).Should().BeLessThan(3, "the oldest pending is the first unread one, not a retained one");
    }

    /// <summary>The unnamed project's gauge as an exporter would read it now; -1 before its first reading.</summary>
    private static double Read(TelemetryCapture telemetry, string instrument)
    {
        telemetry.RecordObservables();
        return telemetry.Of(instrument).LastOrDefault(m => m.Tag(HankoWebhooksDiagnostics.ProjectTag) is null)?.Value ?? -1;
    }
}
