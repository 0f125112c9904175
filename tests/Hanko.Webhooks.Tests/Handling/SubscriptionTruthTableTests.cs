using FluentAssertions;
using Hanko.Webhooks.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace Hanko.Webhooks.Tests.Handling;

/// <summary>
/// Each of the 20 delivered event names × each handler type is called exactly when Hanko's rule
/// <c>strings.HasPrefix(evt, subscription)</c> says a subscription to the handler type's name receives it.
/// </summary>
public sealed class SubscriptionTruthTableTests
{
    // Handler type → the Hanko subscription string it stands for, written out independently of the SDK.
    internal static readonly (Type Type, string Subscription)[] HandlerTypes =
    [
        (typeof(UserEvent), "user"),
        (typeof(UserCreateEvent), "user.create"),
        (typeof(UserLoginEvent), "user.login"),
        (typeof(UserDeleteEvent), "user.delete"),
        (typeof(UserUpdateEvent), "user.update"),
        (typeof(UserEmailEvent), "user.update.email"),
        (typeof(UserEmailCreateEvent), "user.update.email.create"),
        (typeof(UserEmailPrimaryEvent), "user.update.email.primary"),
        (typeof(UserEmailDeleteEvent), "user.update.email.delete"),
        (typeof(UserUsernameEvent), "user.update.username"),
        (typeof(UserUsernameCreateEvent), "user.update.username.create"),
        (typeof(UserUsernameUpdateEvent), "user.update.username.update"),
        (typeof(UserUsernameDeleteEvent), "user.update.username.delete"),
        (typeof(UserPasswordChangeEvent), "user.update.password.update"),
        (typeof(UserCustomClaimsEvent), "user.update.custom_claims"),
        (typeof(EmailSendEvent), "email.send"),
        (typeof(SessionEvent), "session"),
        (typeof(SessionCreateEvent), "session.create"),
        (typeof(SessionCreateFlowEvent), "session.create.flow"),
        (typeof(SessionCreateAdminEvent), "session.create.admin"),
        (typeof(SessionDeleteEvent), "session.delete"),
        (typeof(SessionDeleteExplicitEvent), "session.delete.explicit"),
        (typeof(SessionDeleteExplicitLogoutEvent), "session.delete.explicit.logout"),
        (typeof(SessionDeleteExplicitRevokeEvent), "session.delete.explicit.revoke"),
        (typeof(SessionDeleteAdminEvent), "session.delete.admin"),
        (typeof(SessionDeleteAdminRevokeEvent), "session.delete.admin.revoke"),
        (typeof(SessionDeletePassiveEvent), "session.delete.passive"),
        (typeof(SessionDeletePassiveExpireEvent), "session.delete.passive.expire"),
        (typeof(SessionDeletePassiveLimitEvent), "session.delete.passive.limit"),
    ];

    private static IEnumerable<string> DeliveredNames() => Fixtures.DeliveredEventNames;

    [TestCaseSource(nameof(DeliveredNames))]
    public async Task DispatchAsync_DeliveredEvent_CallsExactlyTheHandlersHankoPrefixMatchingSelects(string eventName)
    {
        var recorder = new Recorder();
        await using var provider = BuildProviderWithAHandlerForEveryType(recorder);
        var @event = HankoEventFactory.Create(eventName, Fixtures.Data(Fixtures.ForEvent(eventName)));

        await provider.GetRequiredService<IHankoEventDispatcher>().DispatchAsync(@event);

        var expected = HandlerTypes.Where(h => eventName.StartsWith(h.Subscription, StringComparison.Ordinal)).Select(h => h.Type).Append(typeof(HankoEvent));
        recorder.HandlerTypesCalled.Should().BeEquivalentTo(expected);
        recorder.Calls.Should().OnlyContain(c => c.EventName == eventName && ReferenceEquals(c.Event, @event));
    }

    [TestCaseSource(nameof(DeliveredNames))]
    public async Task DispatchAsync_DeliveredEvent_RunsMostSpecificHandlersFirst(string eventName)
    {
        var recorder = new Recorder();
        await using var provider = BuildProviderWithAHandlerForEveryType(recorder);
        var @event = HankoEventFactory.Create(eventName, Fixtures.Data(Fixtures.ForEvent(eventName)));

        await provider.GetRequiredService<IHankoEventDispatcher>().DispatchAsync(@event);

        // Longer subscriptions are more specific: the names of the called types must get shorter.
        var order = recorder.HandlerTypesCalled.Select(t => t == typeof(HankoEvent) ? string.Empty : HandlerTypes.Single(h => h.Type == t).Subscription).ToList();
        order.Should().BeInDescendingOrder(s => s.Length);
        order[0].Should().Be(eventName);
    }

    [Test]
    public void HandlerTypes_CoverEveryEventTypeOfTheSdk()
    {
        var sdkTypes = typeof(HankoEvent).Assembly.GetExportedTypes()
            .Where(t => t.IsSubclassOf(typeof(HankoEvent)) && t != typeof(UnknownHankoEvent) && t != typeof(UserCatchUpEvent));

        HandlerTypes.Select(h => h.Type).Should().BeEquivalentTo(sdkTypes);
    }

    [Test]
    public async Task DispatchAsync_UserCatchUpEvent_ReachesOnlyItsOwnHandlers_NeverThoseOfHankosEventsOrHankoEvent()
    {
        var recorder = new Recorder();
        await using var provider = BuildProviderWithAHandlerForEveryType(recorder, typeof(UserCatchUpEvent));
        var @event = new UserCatchUpEvent { UserId = Guid.NewGuid(), WindowStart = DateTimeOffset.UtcNow.AddHours(-1), WindowEnd = DateTimeOffset.UtcNow };

        var result = await provider.GetRequiredService<IHankoEventDispatcher>().DispatchAsync(@event);

        recorder.HandlerTypesCalled.Should().Equal([typeof(UserCatchUpEvent)], "a snapshot replayed to UserEvent or HankoEvent handlers would act twice (a welcome mail)");
        result.HandlerCount.Should().Be(1);
        HankoEventNames.SubscriptionsFor(typeof(UserCatchUpEvent)).Should().BeEmpty("no Hanko subscription delivers it");
    }

    private static ServiceProvider BuildProviderWithAHandlerForEveryType(Recorder recorder, params Type[] more)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(recorder);
        services.AddHankoWebhooks(o => o.JwksUrl = "https://hanko.test/.well-known/jwks.json");
        services.AddScoped<IHankoEventHandler<HankoEvent>, RecordingHandler<HankoEvent>>();
        foreach (var type in HandlerTypes.Select(h => h.Type).Concat(more))
        {
            services.AddScoped(typeof(IHankoEventHandler<>).MakeGenericType(type), typeof(RecordingHandler<>).MakeGenericType(type));
        }

        return services.BuildServiceProvider();
    }
}
