using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FluentAssertions;
using Hanko.Webhooks.AspNetCore.Tests.TestSupport;
using Hanko.Webhooks.Testing;
using Hanko.Webhooks.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace Hanko.Webhooks.AspNetCore.Tests;

/// <summary>Every row of the status table on <c>MapHankoWebhooks</c>, through TestServer.</summary>
public sealed class StatusTableTests
{
    [Test]
    public async Task Post_VerifiedAndHandled_Returns200AndDispatchesOnce()
    {
        await using var t = await TestApp.StartAsync(h => h.AddHandler<AllEventsHandler>());
        var delivery = t.Hanko.CreateDelivery(HankoEventNames.UserCreate);

        using var response = await t.PostAsync(delivery);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        t.Recorder.Calls.Should().ContainSingle().Which.Event.Should().BeOfType<UserCreateEvent>().Which.Name.Should().Be("user.create");
    }

    [Test]
    public async Task Post_CharsetUtf8_IsAccepted()
    {
        await using var t = await TestApp.StartAsync(h => h.AddHandler<AllEventsHandler>());
        var content = t.Hanko.CreateDelivery(HankoEventNames.UserLogin).ToHttpContent();
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json; charset=utf-8");

        using var response = await t.Client.PostAsync(TestApp.Path, content);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Test]
    public async Task Post_NoHandlerRegistered_Returns200()
    {
        await using var t = await TestApp.StartAsync();

        using var response = await t.PostAsync(t.Hanko.CreateDelivery(HankoEventNames.SessionCreateFlow));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Test]
    public async Task Post_UnknownEvent_Returns200AndReachesCatchAllHandler()
    {
        await using var t = await TestApp.StartAsync(h => h.AddHandler<AllEventsHandler>());

        using var response = await t.PostAsync(t.Hanko.CreateDelivery("billing.invoice.paid", o => o.Data = new JsonObject { ["amount"] = 5 }));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        t.Recorder.Calls.Should().ContainSingle().Which.Event.Should().BeOfType<UnknownHankoEvent>().Which.Name.Should().Be("billing.invoice.paid");
    }

    [Test]
    public async Task Post_NewNameInKnownFamily_Returns200AsGroupType()
    {
        await using var t = await TestApp.StartAsync(h => h.AddHandler<SessionHandler>());

        using var response = await t.PostAsync(t.Hanko.CreateDelivery("session.delete.passive.idle", o => o.Data = FakeHanko.GetDefaultData(HankoEventNames.SessionDeletePassiveExpire)));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        t.Recorder.Calls.Should().ContainSingle().Which.Event.Should().BeOfType<SessionDeletePassiveEvent>();
    }

    [Test]
    public async Task Post_HandlerThrows_Returns500AndOtherHandlerStillRuns()
    {
        await using var t = await TestApp.StartAsync(h => h.AddHandler<ThrowingUserCreateHandler>().AddHandler<AllEventsHandler>());

        using var response = await t.PostAsync(t.Hanko.CreateDelivery(HankoEventNames.UserCreate));

        response.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        t.Recorder.EventsSeenBy(nameof(AllEventsHandler)).Should().ContainSingle();
        var problem = await ProblemAsync(response);
        problem.GetProperty("title").GetString().Should().Be("HandlerFailed");
        problem.GetProperty("detail").GetString().Should().Contain("user.create").And.NotContain("boom");
        var logged = t.Logs.GetSnapshot().Single(r => r.Id.Id == 107);
        logged.Message.Should().Contain("user.create");
    }

    [Test]
    public async Task Get_Returns405()
    {
        await using var t = await TestApp.StartAsync();

        using var response = await t.Client.GetAsync(TestApp.Path);

        response.StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
    }

    [TestCase(null)]
    [TestCase("text/plain")]
    [TestCase("application/x-www-form-urlencoded")]
    [TestCase("application/json; charset=utf-16")]
    public async Task Post_UnsupportedContentType_Returns415(string? contentType)
    {
        await using var t = await TestApp.StartAsync(h => h.AddHandler<AllEventsHandler>());
        var content = new ByteArrayContent(t.Hanko.CreateDelivery(HankoEventNames.UserCreate).BodyBytes.ToArray());
        content.Headers.ContentType = contentType is null ? null : MediaTypeHeaderValue.Parse(contentType);

        using var response = await t.Client.PostAsync(TestApp.Path, content);

        response.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
        t.Recorder.Calls.Should().BeEmpty();
    }

    [Test]
    public async Task Post_ContentLengthOverLimit_Returns413()
    {
        await using var t = await TestApp.StartAsync();
        var content = new ByteArrayContent(new byte[(1024 * 1024) + 1]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await t.Client.PostAsync(TestApp.Path, content);

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Test]
    public async Task Post_ChunkedBodyOverLimit_Returns413()
    {
        await using var t = await TestApp.StartAsync(options: o => o.MaxBodyBytes = 4096);
        var delivery = t.Hanko.CreateDelivery(HankoEventNames.UserCreate);
        var padded = delivery.Body[..^1] + ",\"pad\":\"" + new string('x', 8192) + "\"}";
        using var request = new HttpRequestMessage(HttpMethod.Post, TestApp.Path) { Content = Chunked(padded) };
        request.Headers.TransferEncodingChunked = true;

        using var response = await t.Client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
    }

    [Test]
    public async Task Post_ChunkedBodyUnderLimit_IsAccepted()
    {
        await using var t = await TestApp.StartAsync(h => h.AddHandler<AllEventsHandler>());
        using var request = new HttpRequestMessage(HttpMethod.Post, TestApp.Path) { Content = Chunked(t.Hanko.CreateDelivery(HankoEventNames.UserCreate).Body) };
        request.Headers.TransferEncodingChunked = true;

        using var response = await t.Client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        t.Recorder.Calls.Should().ContainSingle();
    }

    [TestCase("not json")]
    [TestCase("")]
    [TestCase("{}")]
    [TestCase("[1,2]")]
    [TestCase("{\"token\":5,\"event\":\"user.create\"}")]
    [TestCase("{\"event\":\"user.create\"}")]
    [TestCase("{\"token\":\"a.b.c\"")]
    public async Task Post_MalformedBody_Returns400(string body)
    {
        await using var t = await TestApp.StartAsync();

        using var response = await t.Client.PostAsync(TestApp.Path, new StringContent(body, Encoding.UTF8, "application/json"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await ProblemAsync(response)).GetProperty("title").GetString().Should().Be(nameof(HankoWebhookFailure.MalformedBody));
    }

    private static readonly (string Name, Func<FakeHanko, HankoDelivery> Create, HankoWebhookFailure Failure)[] Refusals =
    [
        ("session token", h => h.CreateSessionTokenDelivery(), HankoWebhookFailure.NotWebhookToken),
        ("expired", h => h.CreateExpiredDelivery(), HankoWebhookFailure.Expired),
        ("not yet valid", h => h.CreateNotYetValidDelivery(), HankoWebhookFailure.NotYetValid),
        ("wrong audience", h => h.CreateWrongAudienceDelivery(), HankoWebhookFailure.WrongAudience),
        ("unknown key", h => h.CreateUnknownKeyDelivery(), HankoWebhookFailure.UnknownKey),
        ("tampered payload", h => h.CreateTamperedPayloadDelivery(), HankoWebhookFailure.BadSignature),
        ("tampered signature", h => h.CreateTamperedSignatureDelivery(), HankoWebhookFailure.BadSignature),
        ("alg none", h => h.CreateAlgNoneDelivery(), HankoWebhookFailure.UnsupportedAlgorithm),
        ("HS256 with public key", h => h.CreateHs256WithPublicKeyDelivery(), HankoWebhookFailure.UnsupportedAlgorithm),
        ("truncated", h => h.CreateTruncatedDelivery(), HankoWebhookFailure.MalformedToken),
        ("event mismatch", h => h.CreateEventMismatchDelivery(), HankoWebhookFailure.EventMismatch),
    ];

    private static IEnumerable<TestCaseData> RefusalCases() =>
        Refusals.Select(r => new TestCaseData(r.Name).SetName($"Post_TokenRefused_Returns401ProblemJson({r.Name})"));

    [TestCaseSource(nameof(RefusalCases))]
    public async Task Post_TokenRefused_Returns401ProblemJson(string name)
    {
        var (_, create, failure) = Refusals.Single(r => r.Name == name);
        await using var t = await TestApp.StartAsync(h => h.AddHandler<AllEventsHandler>());
        var delivery = create(t.Hanko);

        using var response = await t.PostAsync(delivery);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var body = await response.Content.ReadAsStringAsync();
        body.Should().NotContain(delivery.Token);
        var problem = JsonDocument.Parse(body).RootElement;
        problem.GetProperty("title").GetString().Should().Be(failure.ToString());
        problem.GetProperty("status").GetInt32().Should().Be(401);
        problem.GetProperty("type").GetString().Should().NotBeNullOrEmpty();
        problem.GetProperty("detail").GetString().Should().NotBeNullOrEmpty();
        t.Recorder.Calls.Should().BeEmpty();
        t.Logs.GetSnapshot().Should().NotContain(r => r.Message.Contains(delivery.Token, StringComparison.Ordinal));
    }

    [Test]
    public async Task Post_DataOfWrongShape_Returns422()
    {
        await using var t = await TestApp.StartAsync(h => h.AddHandler<AllEventsHandler>());
        var delivery = t.Hanko.CreateDelivery(HankoEventNames.UserCreate, o => o.Data = new JsonObject { ["id"] = 42, ["emails"] = "nope" });

        using var response = await t.PostAsync(delivery);

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await ProblemAsync(response)).GetProperty("title").GetString().Should().Be(nameof(HankoWebhookFailure.InvalidPayload));
        t.Recorder.Calls.Should().BeEmpty();
        t.Logged(104).Should().BeTrue();
    }

    [Test]
    public async Task Post_NoKeysAvailable_Returns503()
    {
        using var hanko = new FakeHanko { JwksBehavior = FakeJwksBehavior.ServerError };
        await using var t = await TestApp.StartAsync(h => h.AddHandler<AllEventsHandler>(), hanko: hanko);

        using var response = await t.PostAsync(t.Hanko.CreateDelivery(HankoEventNames.UserCreate));

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await ProblemAsync(response)).GetProperty("title").GetString().Should().Be(nameof(HankoWebhookFailure.KeysUnavailable));
        t.Logged(105).Should().BeTrue();
    }

    [Test]
    public async Task MapHankoWebhooks_WithoutServices_ThrowsNamingAddHankoWebhooks()
    {
        var app = WebApplication.CreateSlimBuilder().Build();

        var act = () => app.MapHankoWebhooks();

        act.Should().Throw<InvalidOperationException>().WithMessage("*services.AddHankoWebhooks()*");
        await app.DisposeAsync();
    }

    [Test]
    public async Task MapHankoWebhooks_ReturnsConventionBuilderThatChains()
    {
        await using var t = await TestApp.StartAsync(map: app => app.MapHankoWebhooks().WithName("hanko-webhooks"));

        var endpoints = t.App.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints;

        endpoints.Should().ContainSingle(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IEndpointNameMetadata>() != null
            && e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IEndpointNameMetadata>()!.EndpointName == "hanko-webhooks");
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    private static StreamContent Chunked(string body)
    {
        var content = new StreamContent(new NonSeekableStream(Encoding.UTF8.GetBytes(body)));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }
}
