using FluentAssertions;
using Hanko.Webhooks.DevConsole.Tests.TestSupport;
using Microsoft.Playwright;
using NUnit.Framework;

namespace Hanko.Webhooks.DevConsole.Tests;

/// <summary>
/// The sample as a real process in Development, its console page in a real headless Chromium (Debian's /usr/bin/chromium,
/// driven by Playwright; no browser download): send user.create, see it handled by the sample's handler; send a stolen
/// session token, see it refused; reveal a masked OTP code. Saves a screenshot.
/// </summary>
[NonParallelizable]
public sealed class SampleConsoleBrowserTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    [Test]
    public async Task Page_SendsEventsAndForgeries_AndListsWhatTheSampleDid()
    {
        await using var chromium = await Chromium.StartOrIgnoreAsync(1440, 1000);
        await using var sample = SampleProcess.Start("Development");
        var url = await sample.ConsoleUrl(StartTimeout);
        url.Should().MatchRegex(@"^http://127\.0\.0\.1:\d+/_hanko$", "the sample prints the console's URL at start");

        var page = chromium.Page;
        await page.GotoAsync(url);
        await page.Locator("body[data-ready=true]").WaitForAsync();
        (await page.Locator("#mode").TextContentAsync()).Should().Contain("local Hanko");
        (await page.Locator("#tree .name:not(.group)").CountAsync()).Should().Be(20, "the 20 events Hanko delivers");
        (await page.Locator("#tree .group").AllTextContentsAsync()).Should().Contain(["user", "session", "session.delete", "user.update.email"]);
        (await page.Locator("#attack option").AllTextContentsAsync()).Should().Contain(["Stolen session token", "Expired", "Wrong audience", "alg none", "HS256 with the public key", "Unknown key", "Tampered payload"]);

        // user.create, with the tree's Send button: handled by the sample's UserDirectorySync.
        await page.Locator("[id='send-user.create']").ClickAsync();
        var created = page.Locator(".delivery[data-event='user.create'][data-outcome='handled']");
        await created.WaitForAsync();
        (await created.Locator(".handler").AllTextContentsAsync()).Should().ContainSingle().Which.Should().Contain("UserDirectorySync").And.MatchRegex(@"\d+\.\d\d ms");
        (await created.GetAttributeAsync("data-status")).Should().Be("200");
        (await created.TextContentAsync()).Should().MatchRegex("delivery [0-9a-f]{64}");

        // The stolen session token, from the attacker menu: refused with 401 NotWebhookToken, no handler ran.
        await page.Locator("#attack").SelectOptionAsync("session-token");
        await page.Locator("#send-attack").ClickAsync();
        var refused = page.Locator(".delivery[data-outcome='refused'][data-failure='NotWebhookToken']");
        await refused.WaitForAsync();
        (await refused.GetAttributeAsync("data-status")).Should().Be("401");
        (await refused.Locator(".handler").CountAsync()).Should().Be(0);
        (await page.Locator("#last-result").TextContentAsync()).Should().Contain("HTTP 401 NotWebhookToken");

        // email.send (passcode), edited in the page: the OTP code is masked until revealed.
        await page.Locator("[id='name-email.send']").ClickAsync();
        await page.Locator("#variant").SelectOptionAsync("email.send.passcode");
        // The payload is fetched after the choice; wait for the passcode variant's to be shown.
        await page.WaitForFunctionAsync("() => document.getElementById('payload').value.includes('\"type\": \"login\"')");
        var payload = await page.Locator("#payload").InputValueAsync();
        payload.Should().Contain("\"otp_code\": \"482913\"");
        await page.Locator("#payload").FillAsync(payload.Replace("482913", "771204", StringComparison.Ordinal));
        await page.Locator("#send").ClickAsync();
        var mail = page.Locator(".delivery[data-event='email.send'][data-outcome='handled']");
        await mail.WaitForAsync();
        await mail.GetByRole(AriaRole.Button, new() { Name = "Payload" }).ClickAsync();
        var masked = await mail.Locator("pre.payload").TextContentAsync();
        masked.Should().Contain("\"otp_code\": \"••••••\"").And.NotContain("771204");
        await mail.Locator("button.reveal").ClickAsync();
        await page.Locator(".delivery[data-event='email.send'] pre.payload:has-text('771204')").WaitForAsync();

        (await chromium.ScreenshotAsync("devconsole.png", "The development console after the test")).Length.Should().BeGreaterThan(10_000);

        sample.Output.Should().Contain("UserDirectorySync").And.NotContain("771204", "the sample never logs an OTP code");
    }
}
