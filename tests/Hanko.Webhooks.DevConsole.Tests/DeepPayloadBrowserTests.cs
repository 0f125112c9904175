using FluentAssertions;
using Hanko.Webhooks.DevConsole.Tests.TestSupport;
using NUnit.Framework;

namespace Hanko.Webhooks.DevConsole.Tests;

/// <summary>
/// The console page in headless Chromium shows a payload as deep as the verifier accepts: its pretty-printer writes without
/// recursion and caps the indentation, so the text grows with the payload, not with the square of its depth (16,384 levels
/// indented two spaces each would be over 500 million characters, and the browser's own stringify overflows its stack).
/// </summary>
[NonParallelizable]
public sealed class DeepPayloadBrowserTests
{
    [Test]
    public async Task PayloadAsDeepAsTheVerifierAccepts_IsShown_InTextLinearInItsDepth()
    {
        await using var chromium = await Chromium.StartOrIgnoreAsync(1280, 900);
        await using var host = await ConsoleHost.StartAsync(h => h.AddHandler<HandedOffDeliveriesTests.CreatedHandler>());
        var page = chromium.Page;
        await page.GotoAsync(new Uri(host.Client.BaseAddress!, "/_hanko").ToString());
        await page.Locator("body[data-ready=true]").WaitForAsync();

        // payload → data → metadata → unsafe_metadata → "a": the deepest the verifier accepts.
        var levels = HankoEventParts.MaxDataDepth - 4;
        await page.EvaluateAsync(
            """
            async levels => {
              const { body } = await getJson("/events/user.create/payload");
              let inner = [];
              for (let i = 1; i < levels; i++) inner = [inner];
              body.metadata = { ...(body.metadata || {}), unsafe_metadata: { a: inner } };
              await send("user.create", body, null);
            }
            """,
            levels);
        var delivery = page.Locator(".delivery[data-event='user.create'][data-outcome='handled']");
        await delivery.WaitForAsync();
        await delivery.Locator("button", new() { HasText = "Payload" }).ClickAsync();
        (await delivery.Locator("pre.payload").TextContentAsync()).Should().Contain("\"metadata\": \"••••••\"", "metadata is masked until revealed");
        await delivery.Locator("button.reveal").ClickAsync();
        await delivery.Locator("pre.payload", new() { HasText = "unsafe_metadata" }).WaitForAsync();
        var shown = await delivery.Locator("pre.payload").TextContentAsync();

        shown.Should().NotBeNull();
        shown!.Length.Should().BeLessThan(200 * levels, "the indentation stops growing at 32 levels");
        shown.Should().Contain("\"unsafe_metadata\"").And.Contain(new string(' ', 64) + "[", "it is indented up to 32 levels");
        shown.Should().NotContain(new string(' ', 66) + "[", "and no deeper");
        (await page.EvaluateAsync<int>("text => { let d = 0, v = JSON.parse(text).metadata.unsafe_metadata.a; while (Array.isArray(v) && v.length) { v = v[0]; d++; } return d + 1; }", shown))
            .Should().Be(levels, "the text is the payload, every level of it");
    }

    [Test]
    public async Task PrettyPrinter_WritesWhatJsonStringifyWrites_UpTo32Levels()
    {
        await using var chromium = await Chromium.StartOrIgnoreAsync(1280, 900);
        await using var host = await ConsoleHost.StartAsync(h => h.AddHandler<HandedOffDeliveriesTests.CreatedHandler>());
        var page = chromium.Page;
        await page.GotoAsync(new Uri(host.Client.BaseAddress!, "/_hanko").ToString());
        await page.Locator("body[data-ready=true]").WaitForAsync();

        var differing = await page.EvaluateAsync<string[]>(
            """
            async () => {
              const samples = [null, 0, -1.5e-7, true, "", "quote \" backslash \\ line\n tab\t unicode é ✓", [], {}, [[]], { a: {} },
                [1, "two", null, false, { x: [ { y: "z" }, [] ] }], { "": 1, "weird key \"": [null, { }], n: { m: { l: [0] } } }];
              for (const name of ["user.create", "email.send", "session.create.flow", "user.update.custom_claims"]) {
                const { ok, body } = await getJson("/events/" + name + "/payload");
                if (!ok) return ["no payload for " + name];
                samples.push(body);
              }
              let deep = { leaf: "end" };
              for (let i = 0; i < 31; i++) deep = { level: deep, list: [i] };
              samples.push(deep);
              return samples.map((s, i) => pretty(s) === JSON.stringify(s, null, 2) ? null : i + ": " + pretty(s).slice(0, 200)).filter(x => x !== null);
            }
            """);

        differing.Should().BeEmpty();
    }
}
