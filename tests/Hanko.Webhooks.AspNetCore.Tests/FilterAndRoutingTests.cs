using System.Net;
using System.Reflection;
using FluentAssertions;
using Hanko.Webhooks.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace Hanko.Webhooks.AspNetCore.Tests;

/// <summary>Event filters, several mappings, and the redirect guard.</summary>
public sealed class FilterAndRoutingTests
{
    [Test]
    public async Task Filter_EventOutsideFilter_Is200AndNotDispatchedAndLogged()
    {
        await using var t = await TestApp.StartAsync(
            h => h.AddHandler<AllEventsHandler>(),
            map: app => app.MapHankoWebhooks(TestApp.Path, o => o.AcceptEvents(HankoEventNames.User)));

        using var session = await t.PostAsync(t.Hanko.CreateDelivery(HankoEventNames.SessionCreateFlow));
        using var user = await t.PostAsync(t.Hanko.CreateDelivery(HankoEventNames.UserEmailCreate));

        session.StatusCode.Should().Be(HttpStatusCode.OK);
        user.StatusCode.Should().Be(HttpStatusCode.OK);
        t.Recorder.Calls.Should().ContainSingle().Which.Event.Name.Should().Be(HankoEventNames.UserEmailCreate);
        var warning = t.Logs.GetSnapshot().Should().ContainSingle(r => r.Id.Id == 117).Subject;
        warning.Level.Should().Be(LogLevel.Warning);
        warning.Message.Should().Contain(HankoEventNames.SessionCreateFlow).And.Contain(TestApp.Path);
    }

    [Test]
    public async Task Filter_FirstFilteredDeliveryOfEachNamePerEndpoint_IsOneWarning_LaterOnesAreDebug()
    {
        await using var t = await TestApp.StartAsync(
            h => h.AddHandler<AllEventsHandler>(),
            map: app =>
            {
                app.MapHankoWebhooks("/hooks/users", o => o.AcceptEvents(HankoEventNames.User));
                app.MapHankoWebhooks("/hooks/mail", o => o.AcceptEvents(HankoEventNames.EmailSend));
            });
        var deliveries = new[]
        {
            (t.Hanko.CreateDelivery(HankoEventNames.EmailSend), "/hooks/users"),
            (t.Hanko.CreateDelivery(HankoEventNames.EmailSend), "/hooks/users"),
            (t.Hanko.CreateDelivery(HankoEventNames.SessionCreateFlow), "/hooks/users"),
            (t.Hanko.CreateDelivery(HankoEventNames.SessionCreateFlow), "/hooks/users"),
            (t.Hanko.CreateDelivery(HankoEventNames.SessionCreateFlow), "/hooks/mail"),
        };

        foreach (var (delivery, path) in deliveries)
        {
            using var response = await t.PostAsync(delivery, path);
            response.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        var logs = t.Logs.GetSnapshot();
        logs.Where(r => r.Id.Id == 117).Select(r => (r.Level, r.Message[..r.Message.IndexOf(", whose", StringComparison.Ordinal)])).Should().Equal(
            (LogLevel.Warning, "Hanko event email.send reached the endpoint /hooks/users"),
            (LogLevel.Warning, "Hanko event session.create.flow reached the endpoint /hooks/users"),
            (LogLevel.Warning, "Hanko event session.create.flow reached the endpoint /hooks/mail"));
        logs.Where(r => r.Id.Id == 106).Should().HaveCount(2).And.OnlyContain(r => r.Level == LogLevel.Debug);
        t.Recorder.Calls.Should().BeEmpty();
        logs.Should().NotContain(r => deliveries.Any(d => r.Message.Contains(d.Item1.Token, StringComparison.Ordinal)), "a log line never carries a token");
        logs.Should().NotContain(r => r.Message.Contains('@'), "nor a payload value such as an email address");
    }

    [Test]
    public async Task Filter_ByType_PassesSubtypesOnly()
    {
        await using var t = await TestApp.StartAsync(
            h => h.AddHandler<AllEventsHandler>(),
            map: app => app.MapHankoWebhooks(TestApp.Path, o => o.AcceptEvent<SessionDeleteEvent>().AcceptEvent<EmailSendEvent>()));

        foreach (var name in new[] { HankoEventNames.SessionDeleteExplicitLogout, HankoEventNames.SessionCreateFlow, HankoEventNames.EmailSend, HankoEventNames.UserLogin })
        {
            using var response = await t.PostAsync(t.Hanko.CreateDelivery(name));
            response.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        t.Recorder.Calls.Select(c => c.Event.Name).Should().Equal(HankoEventNames.SessionDeleteExplicitLogout, HankoEventNames.EmailSend);
    }

    [Test]
    public async Task Filter_GroupNameStopsAtDots()
    {
        await using var t = await TestApp.StartAsync(
            h => h.AddHandler<AllEventsHandler>(),
            map: app => app.MapHankoWebhooks(TestApp.Path, o => o.AcceptEvents("user.update.email")));

        using var a = await t.PostAsync(t.Hanko.CreateDelivery(HankoEventNames.UserEmailPrimary));
        using var b = await t.PostAsync(t.Hanko.CreateDelivery(HankoEventNames.UserUpdate));
        using var c = await t.PostAsync(t.Hanko.CreateDelivery("user.update.emailx", o => o.Data = Testing.FakeHanko.GetDefaultData(HankoEventNames.UserUpdate)));

        t.Recorder.Calls.Select(x => x.Event.Name).Should().Equal(HankoEventNames.UserEmailPrimary);
    }

    [Test]
    public void EndpointOptions_TakeTheFilterOnlyThroughAcceptMethods_TypesOnlyHankoEvents()
    {
        typeof(HankoWebhookEndpointOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Should().BeEmpty("the filter is set with AcceptEvents and AcceptEvent<TEvent> only, so nothing can put a non-event type in it");
        typeof(HankoWebhookEndpointOptions).GetMethod(nameof(HankoWebhookEndpointOptions.AcceptEvent))!
            .GetGenericArguments().Single().GetGenericParameterConstraints().Should().Equal(typeof(HankoEvent));
    }

    [TestCase("user.")]
    [TestCase(".user")]
    public async Task Filter_NameWithAnEmptySegment_ThrowsAtMappingNamingTheCall(string name)
    {
        var act = async () => await TestApp.StartAsync(map: app => app.MapHankoWebhooks(TestApp.Path, o => o.AcceptEvents(name)));

        await act.Should().ThrowAsync<ArgumentException>().WithMessage($"AcceptEvents was given \"{name}\"; give event or group names*");
    }

    [Test]
    public async Task TwoEndpoints_WithDifferentFilters_BehaveIndependently()
    {
        await using var t = await TestApp.StartAsync(
            h => h.AddHandler<AllEventsHandler>(),
            map: app =>
            {
                app.MapHankoWebhooks("/hooks/users", o => o.AcceptEvents(HankoEventNames.User));
                app.MapHankoWebhooks("/hooks/sessions", o => o.AcceptEvent<SessionEvent>());
            });

        using var userAtUsers = await t.PostAsync(t.Hanko.CreateDelivery(HankoEventNames.UserCreate), "/hooks/users");
        using var sessionAtUsers = await t.PostAsync(t.Hanko.CreateDelivery(HankoEventNames.SessionCreateAdmin), "/hooks/users");
        using var sessionAtSessions = await t.PostAsync(t.Hanko.CreateDelivery(HankoEventNames.SessionDeleteAdminRevoke), "/hooks/sessions");
        using var userAtSessions = await t.PostAsync(t.Hanko.CreateDelivery(HankoEventNames.UserDelete), "/hooks/sessions");
        using var refused = await t.PostAsync(t.Hanko.CreateExpiredDelivery(), "/hooks/sessions");

        new[] { userAtUsers, sessionAtUsers, sessionAtSessions, userAtSessions }.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.OK);
        refused.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        t.Recorder.Calls.Select(c => c.Event.Name).Should().Equal(HankoEventNames.UserCreate, HankoEventNames.SessionDeleteAdminRevoke);
    }

    [Test]
    public async Task HttpsRedirectionInFront_IsLoggedAsErrorWhenItRedirects()
    {
        await using var t = await TestApp.StartAsync(
            h => h.AddHandler<AllEventsHandler>(),
            configure: b => b.Services.AddHttpsRedirection(o => o.HttpsPort = 443),
            map: app =>
            {
                app.UseHttpsRedirection();
                app.MapHankoWebhooks();
            });

        using var response = await t.PostAsync(t.Hanko.CreateDelivery(HankoEventNames.UserCreate));

        ((int)response.StatusCode).Should().BeInRange(300, 399, "the test's own middleware redirects");
        t.Recorder.Calls.Should().BeEmpty();
        t.Logs.GetSnapshot().Should().ContainSingle(r => r.Id.Id == 114).Which.Level.Should().Be(LogLevel.Error);
    }

    [Test]
    public async Task NoRedirect_NothingIsLoggedByTheGuard()
    {
        await using var t = await TestApp.StartAsync(h => h.AddHandler<AllEventsHandler>());

        using var response = await t.PostAsync(t.Hanko.CreateDelivery(HankoEventNames.UserCreate));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        t.Logged(114).Should().BeFalse();
        t.Logged(115).Should().BeFalse();
    }
}
