using FluentAssertions;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace Hanko.Webhooks.Subscriptions.Tests.CatchUp;

/// <summary>The catch-up's pacing on a fake clock: requests are let through 1/rate apart, never in a burst.</summary>
public sealed class AdminApiPacerTests
{
    [Test]
    public async Task WaitAsync_FourRequestsAtTwoPerSecond_LetsTheFirstThroughAtOnceAndEachNextHalfASecondLater()
    {
        var time = new FakeTimeProvider();
        var pacer = new AdminApiPacer(2, time);
        var start = time.GetUtcNow();
        var passed = new List<TimeSpan>();

        for (var i = 0; i < 4; i++)
        {
            var wait = pacer.WaitAsync(CancellationToken.None);
            while (!wait.IsCompleted)
            {
                time.Advance(TimeSpan.FromMilliseconds(50));
                await Task.Yield();
            }

            await wait;
            passed.Add(time.GetUtcNow() - start);
        }

        passed.Should().Equal(TimeSpan.Zero, TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(1000), TimeSpan.FromMilliseconds(1500));
        pacer.Requests.Should().Be(4);
    }

    [Test]
    public async Task WaitAsync_Cancelled_StopsWaiting()
    {
        var time = new FakeTimeProvider();
        var pacer = new AdminApiPacer(1, time);
        await pacer.WaitAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();

        var wait = pacer.WaitAsync(cancel.Token);
        await cancel.CancelAsync();

        await wait.Invoking(async w => await w).Should().ThrowAsync<OperationCanceledException>();
    }
}
