using FluentAssertions;
using Hanko.Webhooks.Tests.Handling;
using Hanko.Webhooks.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace Hanko.Webhooks.Tests.Subscriptions;

/// <summary>
/// The subscription plan against Hanko's rule <c>strings.HasPrefix(evt, subscription)</c> and the dispatch truth table
/// (<see cref="SubscriptionTruthTableTests.HandlerTypes"/>, written independently of the SDK): for a set of handler types,
/// Hanko must send a hook with the plan's subscriptions exactly the delivered events some handler of the set is called for,
/// and no name of the plan may be redundant.
/// </summary>
public sealed class SubscriptionPlanTests
{
    private static readonly Type[] AllTypes = [typeof(HankoEvent), .. SubscriptionTruthTableTests.HandlerTypes.Select(h => h.Type)];

    private static bool Receives(Type handlerType, string eventName) =>
        handlerType == typeof(HankoEvent)
        || eventName.StartsWith(SubscriptionTruthTableTests.HandlerTypes.Single(h => h.Type == handlerType).Subscription, StringComparison.Ordinal);

    private static string? Violation(Type[] handlers)
    {
        var plan = HankoWebhookSubscriptionPlan.ForEventTypes(handlers);
        var names = plan.Events;
        foreach (var eventName in Fixtures.DeliveredEventNames)
        {
            var sent = names.Any(s => eventName.StartsWith(s, StringComparison.Ordinal));
            var wanted = handlers.Any(h => Receives(h, eventName));
            if (sent != wanted)
            {
                return $"{string.Join("+", handlers.Select(h => h.Name))}: plan [{plan}] {(sent ? "sends" : "does not send")} {eventName}";
            }
        }

        foreach (var name in names)
        {
            if (names.Any(o => o != name && name.StartsWith(o, StringComparison.Ordinal)))
            {
                return $"{string.Join("+", handlers.Select(h => h.Name))}: plan [{plan}] has {name}, which another name covers";
            }

            // Each name must be one a handler stands for (no folding of leaves into a group nobody handles).
            if (!handlers.Any(h => h == typeof(HankoEvent) || SubscriptionTruthTableTests.HandlerTypes.Single(t => t.Type == h).Subscription == name))
            {
                return $"{string.Join("+", handlers.Select(h => h.Name))}: plan [{plan}] has {name}, which no handler asked for";
            }
        }

        return null;
    }

    [Test]
    public void ForEventTypes_EverySingleTypeAndEveryPair_MatchesHankosPrefixRule()
    {
        var violations = new List<string>();
        for (var i = 0; i < AllTypes.Length; i++)
        {
            violations.Add(Violation([AllTypes[i]])!);
            for (var j = i + 1; j < AllTypes.Length; j++)
            {
                violations.Add(Violation([AllTypes[i], AllTypes[j]])!);
            }
        }

        violations.Where(v => v is not null).Should().BeEmpty();
    }

    [Test]
    public void ForEventTypes_EveryTriple_MatchesHankosPrefixRule()
    {
        var violations = new List<string?>();
        for (var i = 0; i < AllTypes.Length; i++)
        {
            for (var j = i + 1; j < AllTypes.Length; j++)
            {
                for (var k = j + 1; k < AllTypes.Length; k++)
                {
                    violations.Add(Violation([AllTypes[i], AllTypes[j], AllTypes[k]]));
                }
            }
        }

        violations.Count.Should().Be(30 * 29 * 28 / 6);
        violations.Where(v => v is not null).Should().BeEmpty();
    }

    [Test]
    public void ForEventTypes_TwentyThousandRandomCombinationsOfAnySize_MatchHankosPrefixRule()
    {
        var random = new Random(20260814);
        var violations = new List<string>();
        for (var n = 0; n < 20_000; n++)
        {
            var handlers = AllTypes.Where(_ => random.Next(2) == 0).ToArray();
            if (Violation(handlers) is { } violation)
            {
                violations.Add(violation);
            }
        }

        violations.Should().BeEmpty();
    }

    [Test]
    public void ForEventTypes_TheIssuesExamples()
    {
        HankoWebhookSubscriptionPlan.ForEventTypes([typeof(UserEvent)]).Events.Should().Equal("user");
        HankoWebhookSubscriptionPlan.ForEventTypes([typeof(HankoEvent)]).Events.Should().Equal("email.send", "session", "user");
        HankoWebhookSubscriptionPlan.ForEventTypes([typeof(SessionDeleteEvent), typeof(SessionCreateFlowEvent)]).Events.Should().Equal("session.create.flow", "session.delete");
        HankoWebhookSubscriptionPlan.ForEventTypes([typeof(UserEmailCreateEvent), typeof(UserUpdateEvent), typeof(UserLoginEvent)]).Events.Should().Equal("user.login", "user.update");
        HankoWebhookSubscriptionPlan.ForEventTypes([typeof(UserCustomClaimsEvent)]).Events.Should().Equal("user.update.custom_claims");
        HankoWebhookSubscriptionPlan.ForEventTypes([typeof(UserCustomClaimsEvent), typeof(UserUpdateEvent)]).Events.Should().Equal("user.update");
        HankoWebhookSubscriptionPlan.ForEventTypes([]).Events.Should().BeEmpty();
        HankoWebhookSubscriptionPlan.ForEventTypes([typeof(UnknownHankoEvent)]).Events.Should().BeEmpty("no subscription name asks for unknown families");
        HankoWebhookSubscriptionPlan.ForEventTypes([typeof(HankoEvent)]).ToString().Should().Be("email.send, session, user");
    }

    [Test]
    public void ForEventTypes_EveryTypeStandsForItsOwnNameInTheTruthTable()
    {
        foreach (var (type, subscription) in SubscriptionTruthTableTests.HandlerTypes)
        {
            HankoWebhookSubscriptionPlan.ForEventTypes([type]).Events.Should().Equal([subscription], type.Name);
        }
    }

    [Test]
    public void ForEventTypes_DeliveredEventsBecomeTypesThatStandForTheirOwnName()
    {
        foreach (var eventName in Fixtures.DeliveredEventNames)
        {
            var type = HankoEventFactory.Create(eventName, Fixtures.Data(Fixtures.ForEvent(eventName))).GetType();
            HankoWebhookSubscriptionPlan.ForEventTypes([type]).Events.Should().Equal([eventName], $"{eventName} is typed {type.Name}");
        }
    }

    [Test]
    public void ForEventTypes_NotAHankoEventType_Throws()
    {
        FluentActions.Invoking(() => HankoWebhookSubscriptionPlan.ForEventTypes([typeof(string)])).Should().Throw<ArgumentException>().WithMessage("*System.String is not a Hanko event type*");
    }

    [Test]
    public void MissingFrom_UsesThePrefixRule()
    {
        var plan = HankoWebhookSubscriptionPlan.ForEventTypes([typeof(UserEmailEvent), typeof(EmailSendEvent), typeof(SessionDeleteEvent)]);

        plan.MissingFrom(["user", "session.delete.explicit"]).Should().Equal("email.send", "session.delete");
        plan.MissingFrom(["user.update.email", "email.send", "session"]).Should().BeEmpty();
        plan.MissingFrom(["user.update.email.create"]).Should().Equal("email.send", "session.delete", "user.update.email");
    }

    [Test]
    public void Plan_FromDi_HasTheRegisteredHandlersIncludingOnesAddedLater()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        var builder = services.AddHankoWebhooks(o => o.JwksUrl = "https://hanko.test/.well-known/jwks.json").AddSubscriptions();
        builder.AddHandler<RecordingHandler<SessionDeleteEvent>>().AddHandler<RecordingHandler<SessionCreateFlowEvent>>();
        services.AddScoped<IHankoEventHandler<EmailSendEvent>, RecordingHandler<EmailSendEvent>>();
        using var provider = services.BuildServiceProvider();

        var plan = provider.GetRequiredService<HankoWebhookSubscriptionPlan>();

        plan.Events.Should().Equal("email.send", "session.create.flow", "session.delete");
        plan.EventTypes.Should().BeEquivalentTo([typeof(SessionDeleteEvent), typeof(SessionCreateFlowEvent), typeof(EmailSendEvent)]);
    }
}
