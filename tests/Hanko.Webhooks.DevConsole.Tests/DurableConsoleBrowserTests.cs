using System.Collections.Concurrent;
using FluentAssertions;
using Hanko.Webhooks.DevConsole.Tests.TestSupport;
using Hanko.Webhooks.TestSupport;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace Hanko.Webhooks.DevConsole.Tests;

/// <summary>
/// The console page in headless Chromium at 1280 × 900 over an app with Redis durable processing (real redis-server, real
/// Kestrel): a delivery is followed through the worker (each attempt, the retry scheduled, the dead letter), a refused row
/// says why, nothing is cut or overflows its card, and the page asks the app for no missing icon. Saves a screenshot for a
/// person to check.
/// </summary>
[NonParallelizable]
public sealed class DurableConsoleBrowserTests
{
    private const int Width = 1280;

    [Test]
    public async Task Page_FollowsDurableDeliveriesThroughTheWorker_AndFitsEverythingAt1280Pixels()
    {
        await using var chromium = await Chromium.StartOrIgnoreAsync(Width, 900);
        using var redis = RedisServer.StartOrIgnore();
        var prefix = "console-" + Guid.NewGuid().ToString("N")[..8];
        await using var host = await ConsoleHost.StartAsync(
            h => h.AddHandler<HandedOffDeliveriesTests.CreatedHandler>().AddHandler<HandedOffDeliveriesTests.CrmDownHandler>()
                .UseRedis(o => (o.Configuration, o.KeyPrefix) = (redis.Configuration, prefix))
                .UseDurableProcessing(o =>
                {
                    o.RetryDelays = [TimeSpan.FromMilliseconds(500)]; // two attempts: the first, one retry
                }),
            b => b.Services.AddDataProtection().SetApplicationName("hanko-console-tests"));
        var page = chromium.Page;
        var answers = new ConcurrentQueue<(string Url, int Status)>();
        page.Response += (_, r) => answers.Enqueue((r.Url, r.Status));

        await page.GotoAsync(new Uri(host.Client.BaseAddress!, "/_hanko").ToString());
        await page.Locator("body[data-ready=true]").WaitForAsync();

        await page.Locator("[id='send-user.create']").ClickAsync();
        await page.Locator(".delivery[data-event='user.create'][data-processing='handled']").WaitForAsync();
        await page.Locator("[id='send-user.login']").ClickAsync();
        var login = page.Locator(".delivery[data-event='user.login'][data-processing='dead_lettered']");
        await login.WaitForAsync();

        // Each attempt of the failing delivery: its handler's failure, the retry scheduled (with its time), then the dead letter.
        var attempts = login.Locator(".attempt");
        (await attempts.CountAsync()).Should().Be(2);
        (await attempts.Nth(0).GetAttributeAsync("data-worker-outcome")).Should().Be("retry");
        (await attempts.Nth(0).TextContentAsync()).Should().Contain("attempt 1").And.Contain("retry scheduled for").And.Contain("CrmDownHandler threw System.InvalidOperationException: The CRM is down.");
        (await attempts.Nth(1).GetAttributeAsync("data-worker-outcome")).Should().Be("dead_lettered");
        (await attempts.Nth(1).TextContentAsync()).Should().Contain("attempt 2").And.Contain("dead-lettered");
        (await login.GetAttributeAsync("data-status")).Should().Be("202");
        var created = page.Locator(".delivery[data-event='user.create']");
        (await created.Locator(".attempt").TextContentAsync()).Should().Contain("attempt 1").And.Contain("CreatedHandler").And.Contain("done");

        // A forged delivery: the refused row says why, as its 401 does.
        await page.Locator("#attack").SelectOptionAsync("expired");
        await page.Locator("#send-attack").ClickAsync();
        var refused = page.Locator(".delivery[data-outcome='refused']");
        await refused.WaitForAsync();
        (await refused.Locator(".detail").TextContentAsync()).Should().MatchRegex("(?i)expired");

        // At 1280 px: no event name in the tree is cut, and no delivery id leaves its card.
        var cut = await page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('#tree .name')].filter(n => n.scrollWidth > n.clientWidth || n.getBoundingClientRect().right > n.closest('.card').getBoundingClientRect().right).map(n => n.textContent)");
        cut.Should().BeEmpty("every event name is shown whole at {0} px", Width);
        var overflowing = await page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('.delivery .delivery-id, .delivery .ev, .delivery .detail')].filter(e => { const c = e.closest('.delivery').getBoundingClientRect(), r = e.getBoundingClientRect(); return r.right > c.right + 0.5 || e.scrollWidth > e.clientWidth + 1; }).map(e => e.textContent)");
        overflowing.Should().BeEmpty("a 64-hex delivery id wraps inside its card");
        (await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth")).Should().BeTrue("the page needs no horizontal scrolling at {0} px", Width);

        // The page names its own icon: the browser asks the app for no /favicon.ico (a 404 in the app's log).
        answers.Should().NotContain(a => a.Status == 404);
        answers.Should().Contain(a => a.Url.EndsWith("/_hanko/favicon.svg", StringComparison.Ordinal) && a.Status == 200);

        (await chromium.ScreenshotAsync("devconsole-durable.png", "The development console at 1280 px with Redis durable processing: attempts, retry, dead letter, a refused row")).Length.Should().BeGreaterThan(10_000);
    }
}
