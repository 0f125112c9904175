using FluentAssertions;
using Hanko.Webhooks.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace Hanko.Webhooks.AspNetCore.Tests;

/// <summary>
/// Log 114 says what Hanko's Go client does with the redirect about to be sent (WIRE.md §1.1): a 301/302/303 is followed by a
/// body-less GET, a 307/308 by posting the body again, anything else (or a redirect without Location) is not followed.
/// Every one of them is an error.
/// </summary>
public sealed class RedirectWordingTests
{
    private const string BodyLess = "follows it with a GET without the body, so this event never arrives";
    private const string RePosted = "posts the same body again to the new location, so the event arrives only if that URL takes it";
    private const string NotFollowed = "does not follow it and counts any status below 400 as delivered, so this event is lost without Hanko recording a failure";

    [TestCase(301, true, BodyLess)]
    [TestCase(302, true, BodyLess)]
    [TestCase(303, true, BodyLess)]
    [TestCase(307, true, RePosted)]
    [TestCase(308, true, RePosted)]
    [TestCase(300, true, NotFollowed)]
    [TestCase(304, false, NotFollowed)]
    [TestCase(302, false, NotFollowed)]
    [TestCase(307, false, NotFollowed)]
    public async Task RedirectInFront_LogsAnErrorWordedForWhatHankoDoesWithThatStatus(int status, bool withLocation, string expected)
    {
        await using var t = await TestApp.StartAsync(
            h => h.AddHandler<AllEventsHandler>(),
            map: app =>
            {
                app.Use((HttpContext context, RequestDelegate _) =>
                {
                    context.Response.StatusCode = status;
                    if (withLocation)
                    {
                        context.Response.Headers.Location = "https://app.example/webhooks/hanko";
                    }

                    return Task.CompletedTask;
                });
                app.MapHankoWebhooks();
            });

        using var response = await t.PostAsync(t.Hanko.CreateDelivery(HankoEventNames.UserCreate));

        ((int)response.StatusCode).Should().Be(status);
        t.Recorder.Calls.Should().BeEmpty();
        var record = t.Logs.GetSnapshot().Should().ContainSingle(r => r.Id.Id == 114).Which;
        record.Level.Should().Be(LogLevel.Error);
        record.Category.Should().Be("Hanko.Webhooks.AspNetCore");
        record.Message.Should().StartWith($"A Hanko webhook request to /webhooks/hanko is being answered with a redirect ({status}). Hanko's HTTP client ")
            .And.Contain(expected)
            .And.EndWith("Register the final https URL with Hanko and keep redirects (UseHttpsRedirection, trailing-slash or login redirects) off the webhook path.");
        foreach (var other in new[] { BodyLess, RePosted, NotFollowed }.Where(w => w != expected))
        {
            record.Message.Should().NotContain(other);
        }
    }

    [Test]
    public async Task RePostedRedirect_MentionsThatAHankoWhichStopsFollowingRedirectsLosesTheEvent()
    {
        await using var t = await TestApp.StartAsync(
            h => h.AddHandler<AllEventsHandler>(),
            map: app =>
            {
                app.Use((HttpContext context, RequestDelegate _) =>
                {
                    context.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
                    context.Response.Headers.Location = "https://app.example/webhooks/hanko";
                    return Task.CompletedTask;
                });
                app.MapHankoWebhooks();
            });

        using var response = await t.PostAsync(t.Hanko.CreateDelivery(HankoEventNames.EmailSend));

        t.Logs.GetSnapshot().Single(r => r.Id.Id == 114).Message
            .Should().Contain("A Hanko that no longer follows redirects (an open upstream change) counts it as a failure and loses the event.");
    }
}
