using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FluentAssertions;
using NUnit.Framework;

namespace Hanko.Webhooks.DevConsole.Tests;

/// <summary>The console's JSON API against the sample as a real process in Development.</summary>
// Its own sample process at port 0 and nothing static; it runs beside the other fixtures marked Parallelizable.
[Parallelizable(ParallelScope.Self)]
public sealed class SampleConsoleApiTests
{
    private SampleProcess _sample = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _sample = SampleProcess.Start("Development");
        _client = new HttpClient { BaseAddress = new Uri(await _sample.ConsoleUrl(TimeSpan.FromSeconds(60)) + "/") };
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _client.Dispose();
        await _sample.DisposeAsync();
    }

    [TestCase("session-token", "NotWebhookToken")]
    [TestCase("expired", "Expired")]
    [TestCase("not-yet-valid", "NotYetValid")]
    [TestCase("wrong-audience", "WrongAudience")]
    [TestCase("alg-none", "UnsupportedAlgorithm")]
    [TestCase("hs256-public-key", "UnsupportedAlgorithm")]
    [TestCase("unknown-key", "UnknownKey")]
    [TestCase("tampered-payload", "BadSignature")]
    [TestCase("tampered-signature", "BadSignature")]
    [TestCase("truncated", "MalformedToken")]
    [TestCase("event-mismatch", "EventMismatch")]
    public async Task Send_EveryForgery_IsRefusedWith401AndListedAsRefused(string attack, string failure)
    {
        var answer = await SendAsync(new JsonObject { ["event"] = "user.update", ["attack"] = attack });

        answer["status"]!.GetValue<int>().Should().Be(401);
        answer["title"]!.GetValue<string>().Should().Be(failure);
        var delivery = answer["delivery"]!;
        delivery["outcome"]!.GetValue<string>().Should().Be("refused");
        delivery["failure"]!.GetValue<string>().Should().Be(failure);
        delivery["handlers"]!.AsArray().Should().BeEmpty();
        delivery["sent"]!["kind"]!.GetValue<string>().Should().Be(attack);
    }

    [Test]
    public async Task Send_EditedPayload_IsDeliveredAsEdited_MaskedUntilRevealed()
    {
        var data = JsonNode.Parse(await _client.GetStringAsync("api/events/email.send/payload?variant=recovery"))!.AsObject();
        data["data"]!["otp_code"] = "605511";
        var answer = await SendAsync(new JsonObject { ["event"] = "email.send", ["data"] = data });

        answer["status"]!.GetValue<int>().Should().Be(200);
        var delivery = answer["delivery"]!;
        delivery["outcome"]!.GetValue<string>().Should().Be("handled");
        delivery["handlers"]!.AsArray().Select(h => h!["name"]!.GetValue<string>()).Should().Equal("Hanko.Webhooks.Sample.Handlers.SendPasscodeEmail");
        delivery["payload"]!["data"]!["otp_code"]!.GetValue<string>().Should().Be("••••••");
        delivery.ToJsonString().Should().NotContain("605511");

        var revealed = JsonNode.Parse(await _client.GetStringAsync($"api/deliveries/{delivery["id"]}/payload"))!;
        revealed["payload"]!["data"]!["otp_code"]!.GetValue<string>().Should().Be("605511");
        revealed["payloadMasked"]!.GetValue<bool>().Should().BeFalse();
    }

    [Test]
    public async Task Send_UserUpdateWithUnsafeMetadata1400LevelsDeep_IsHandled_ListedMasked_RevealedIntact()
    {
        // What an end user may write (2,806 characters; Hanko allows 3,000), far deeper than System.Text.Json's default of 64.
        var deep = "{\"a\":" + new string('[', 1_400) + new string(']', 1_400) + "}";
        var data = JsonNode.Parse(await _client.GetStringAsync("api/events/user.update/payload"))!.AsObject();
        data["metadata"]!["unsafe_metadata"] = Parse(deep);

        var answer = await SendAsync(new JsonObject { ["event"] = "user.update", ["data"] = data });

        answer["status"]!.GetValue<int>().Should().Be(200);
        var delivery = answer["delivery"]!;
        delivery["outcome"]!.GetValue<string>().Should().Be("handled");
        delivery["handlers"]!.AsArray().Select(h => h!["name"]!.GetValue<string>()).Should().Equal("Hanko.Webhooks.Sample.Handlers.UserDirectorySync");
        delivery["payload"]!["metadata"]!.GetValue<string>().Should().Be("••••••", "metadata is masked until revealed");
        var listed = Parse(await _client.GetStringAsync("api/deliveries"))["deliveries"]!.AsArray();
        listed.Should().Contain(d => d!["id"]!.GetValue<int>() == delivery["id"]!.GetValue<int>());

        var revealed = Parse(await _client.GetStringAsync($"api/deliveries/{delivery["id"]}/payload"));
        revealed["payload"]!["metadata"]!["unsafe_metadata"]!.ToJsonString(Deep).Should().Be(deep);
    }

    [Test]
    public async Task Send_PayloadAsDeepAsTheVerifierAccepts_IsHandled_MaskedAndRevealed_TheAppKeepsRunning()
    {
        // payload → data → metadata → unsafe_metadata → "a": the deepest the verifier accepts. A recursive mask of the
        // unmasked copy ("custom") overflowed the stack and ended the app.
        var levels = HankoEventParts.MaxDataDepth - 4;
        var deep = "{\"a\":" + new string('[', levels) + new string(']', levels) + "}";
        var data = JsonNode.Parse(await _client.GetStringAsync("api/events/user.update/payload"))!.AsObject();
        data["metadata"]!["unsafe_metadata"] = Parse(deep);
        data["custom"] = Parse(deep);

        var answer = await SendAsync(new JsonObject { ["event"] = "user.update", ["data"] = data });

        answer["status"]!.GetValue<int>().Should().Be(200);
        answer["delivery"]!["outcome"]!.GetValue<string>().Should().Be("handled");
        answer["delivery"]!["payload"]!["custom"]!.ToJsonString(Deep).Should().Be(deep, "nothing to mask in it");
        var revealed = Parse(await _client.GetStringAsync($"api/deliveries/{answer["delivery"]!["id"]}/payload"));
        revealed["payload"]!["metadata"]!["unsafe_metadata"]!.ToJsonString(Deep).Should().Be(deep);
        Parse(await _client.GetStringAsync("api/deliveries"))["deliveries"]!.AsArray().Should().NotBeEmpty();
    }

    [Test]
    public async Task Send_BadRequests_AreRefusedAndSendNothing()
    {
        var before = await CountAsync();
        (await _client.PostAsync("api/send", new StringContent("{\"event\":\"user.create\"}", Encoding.UTF8, "text/plain"))).StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
        (await _client.PostAsJsonAsync("api/send", new { @event = "" })).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await _client.PostAsJsonAsync("api/send", new { @event = "user.create", attack = "rubber-hose" })).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await _client.PostAsJsonAsync("api/send", new { @event = "user.create", data = "not an object" })).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await _client.PostAsJsonAsync("api/send", new { @event = "email.send", variant = "no-such-mail" })).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await _client.PostAsJsonAsync("api/send", new { @event = "user.create", path = "/elsewhere" })).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await CountAsync()).Should().Be(before);
    }

    [Test]
    public async Task Events_ListTheTreeAndEveryEmailVariant()
    {
        var events = JsonNode.Parse(await _client.GetStringAsync("api/events"))!;
        var nodes = events["events"]!.AsArray();
        nodes.Count(n => n!["delivered"]!.GetValue<bool>()).Should().Be(20);
        nodes.Single(n => n!["name"]!.GetValue<string>() == "user.update")!["group"]!.GetValue<bool>().Should().BeTrue("delivered itself and a group");
        var customClaims = nodes.Single(n => n!["name"]!.GetValue<string>() == "user.update.custom_claims")!;
        customClaims["delivered"]!.GetValue<bool>().Should().BeTrue();
        customClaims["depth"]!.GetValue<int>().Should().Be(2, "it hangs under user.update");
        customClaims["variants"]!.AsArray().Select(v => v!.GetValue<string>()).Should().Equal("user.update.custom_claims", "user.update.custom_claims.cleared");
        nodes.Single(n => n!["name"]!.GetValue<string>() == "email.send")!["variants"]!.AsArray().Should().HaveCount(9);
        events["forgeries"]!.AsArray().Should().HaveCount(11);
    }

    /// <summary>The test reads and writes what the console may (a payload sits up to two levels deeper in its answers than in a token).</summary>
    private static readonly JsonSerializerOptions Deep = new() { MaxDepth = HankoEventParts.MaxDataDepth + 2 };

    private static JsonNode Parse(string json) => JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = HankoEventParts.MaxDataDepth + 2 })!;

    private async Task<JsonNode> SendAsync(JsonObject request)
    {
        using var response = await _client.PostAsync("api/send", new StringContent(request.ToJsonString(Deep), Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, body);
        return Parse(body);
    }

    private async Task<int> CountAsync() =>
        JsonNode.Parse(await _client.GetStringAsync("api/deliveries"))!["deliveries"]!.AsArray().Count;
}
