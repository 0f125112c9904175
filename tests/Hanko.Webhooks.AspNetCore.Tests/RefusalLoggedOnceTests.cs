using System.Net;
using System.Net.Http.Headers;
using FluentAssertions;
using Hanko.Webhooks.TestSupport;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace Hanko.Webhooks.AspNetCore.Tests;

/// <summary>
/// docs/telemetry.md "Log events": a refused delivery is logged once, by the core (event id 23, category <c>Hanko.Webhooks</c>), at the
/// level of its failure; neither the verifier nor the ASP.NET Core add-on logs it again. Captured at Trace, every category.
/// </summary>
public sealed class RefusalLoggedOnceTests
{
    public enum Refusal
    {
        ForgedToken,
        UnsupportedContentType,
        ContentLengthTooLarge,
        ChunkedBodyTooLarge,
        DataOfWrongShape,
    }

    [TestCase(Refusal.ForgedToken, HttpStatusCode.Unauthorized, HankoWebhookFailure.BadSignature, LogLevel.Warning)]
    [TestCase(Refusal.UnsupportedContentType, HttpStatusCode.UnsupportedMediaType, HankoWebhookFailure.UnsupportedMediaType, LogLevel.Warning)]
    [TestCase(Refusal.ContentLengthTooLarge, HttpStatusCode.RequestEntityTooLarge, HankoWebhookFailure.BodyTooLarge, LogLevel.Warning)]
    [TestCase(Refusal.ChunkedBodyTooLarge, HttpStatusCode.RequestEntityTooLarge, HankoWebhookFailure.BodyTooLarge, LogLevel.Warning)]
    [TestCase(Refusal.DataOfWrongShape, HttpStatusCode.UnprocessableEntity, HankoWebhookFailure.InvalidPayload, LogLevel.Error)]
    public async Task RefusedDelivery_IsLoggedExactlyOnce_ByTheCore_AtItsLevel(Refusal refusal, HttpStatusCode status, HankoWebhookFailure failure, LogLevel level)
    {
        await using var t = await TestApp.StartAsync(
            h => h.AddHandler<AllEventsHandler>(),
            configure: b => b.Logging.SetMinimumLevel(LogLevel.Trace),
            options: o => o.MaxBodyBytes = 4096);
        using (var warmUp = await t.PostAsync(t.Hanko.CreateDelivery(HankoEventNames.UserUpdate)))
        {
            warmUp.StatusCode.Should().Be(HttpStatusCode.OK, "the keys are fetched before the refused request");
        }

        t.Logs.Clear();

        using var request = new HttpRequestMessage(HttpMethod.Post, TestApp.Path) { Content = Content(t, refusal) };
        request.Headers.TransferEncodingChunked = refusal == Refusal.ChunkedBodyTooLarge;
        using var response = await t.Client.SendAsync(request);

        response.StatusCode.Should().Be(status);
        var record = t.Logs.GetSnapshot().Where(r => r.Category?.StartsWith("Hanko.", StringComparison.Ordinal) == true)
            .Should().ContainSingle("one place logs a refusal, once").Subject;
        record.Id.Id.Should().Be(23);
        record.Category.Should().Be("Hanko.Webhooks");
        record.Level.Should().Be(level);
        record.Message.Should().Contain(((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture)).And.Contain(failure.ToString());
        t.Recorder.Calls.Should().ContainSingle("only the warm-up delivery reached a handler");
    }

    private static HttpContent Content(TestApp t, Refusal refusal)
    {
        switch (refusal)
        {
            case Refusal.ForgedToken:
                return t.Hanko.CreateTamperedSignatureDelivery(HankoEventNames.UserUpdate).ToHttpContent();
            case Refusal.UnsupportedContentType:
                var text = new ByteArrayContent(t.Hanko.CreateDelivery(HankoEventNames.UserUpdate).BodyBytes.ToArray());
                text.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
                return text;
            case Refusal.ContentLengthTooLarge:
                var large = new ByteArrayContent(new byte[4097]);
                large.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                return large;
            case Refusal.ChunkedBodyTooLarge:
                var chunked = new StreamContent(new MemoryStream(new byte[8192]));
                chunked.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                return chunked;
            default:
                return t.Hanko.CreateDelivery(HankoEventNames.UserCreate, o => o.Data = new System.Text.Json.Nodes.JsonObject { ["id"] = 42, ["emails"] = "nope" }).ToHttpContent();
        }
    }
}
