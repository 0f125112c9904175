using FluentAssertions;
using Hanko.Webhooks.Tests.TestSupport;
using NUnit.Framework;

namespace Hanko.Webhooks.Tests.Events;

public sealed class HankoEventCatalogTests
{
    [TestCase("user.create", typeof(UserCreateEvent))]
    [TestCase("user.login", typeof(UserLoginEvent))]
    [TestCase("user.update", typeof(UserUpdateEvent))]
    [TestCase("user.delete", typeof(UserDeleteEvent))]
    [TestCase("user.update.email.create", typeof(UserEmailCreateEvent))]
    [TestCase("user.update.email.primary", typeof(UserEmailPrimaryEvent))]
    [TestCase("user.update.email.delete", typeof(UserEmailDeleteEvent))]
    [TestCase("user.update.username.create", typeof(UserUsernameCreateEvent))]
    [TestCase("user.update.username.update", typeof(UserUsernameUpdateEvent))]
    [TestCase("user.update.username.delete", typeof(UserUsernameDeleteEvent))]
    [TestCase("user.update.password.update", typeof(UserPasswordChangeEvent))]
    [TestCase("user.update.custom_claims", typeof(UserCustomClaimsEvent))]
    [TestCase("email.send", typeof(EmailSendEvent))]
    [TestCase("session.create.flow", typeof(SessionCreateFlowEvent))]
    [TestCase("session.create.admin", typeof(SessionCreateAdminEvent))]
    [TestCase("session.delete.explicit.logout", typeof(SessionDeleteExplicitLogoutEvent))]
    [TestCase("session.delete.explicit.revoke", typeof(SessionDeleteExplicitRevokeEvent))]
    [TestCase("session.delete.admin.revoke", typeof(SessionDeleteAdminRevokeEvent))]
    [TestCase("session.delete.passive.expire", typeof(SessionDeletePassiveExpireEvent))]
    [TestCase("session.delete.passive.limit", typeof(SessionDeletePassiveLimitEvent))]
    public void Create_DeliveredName_GivesItsOwnType(string name, Type expected)
    {
        var @event = HankoEventFactory.Create(name, Fixtures.Data(Fixtures.ForEvent(name)));

        @event.Should().BeOfType(expected);
        @event.Name.Should().Be(name);
    }

    [TestCase("user.update.foo", typeof(UserUpdateEvent))]
    [TestCase("user.update.email.verify", typeof(UserEmailEvent))]
    [TestCase("user.update.username.foo.bar", typeof(UserUsernameEvent))]
    [TestCase("user.lock", typeof(UserEvent))]
    [TestCase("user.login.mfa", typeof(UserLoginEvent))]
    public void Create_UnknownUserEvent_GivesTheMostSpecificKnownTypeAndKeepsTheName(string name, Type expected)
    {
        var @event = HankoEventFactory.Create(name, Fixtures.Data("user.login.json"));

        @event.Should().BeOfType(expected);
        @event.Name.Should().Be(name);
        ((UserEvent)@event).User.Id.Should().Be(Guid.Parse("9a38d246-c5e4-48e6-9714-e7ffbb48e6e1"));
    }

    [TestCase("session.refresh", typeof(SessionEvent))]
    [TestCase("session.delete.passive.idle", typeof(SessionDeletePassiveEvent))]
    [TestCase("session.create.exchange", typeof(SessionCreateEvent))]
    public void Create_UnknownSessionEvent_GivesTheMostSpecificKnownType(string name, Type expected)
    {
        var @event = HankoEventFactory.Create(name, Fixtures.Data("session.create.flow.json"));

        @event.Should().BeOfType(expected);
        @event.Name.Should().Be(name);
    }

    [TestCase("billing.paid")]
    [TestCase("email.receive")]
    [TestCase("users.create")]
    [TestCase("sessions")]
    [TestCase("user_create")]
    [TestCase("hanko-webhooks.catch-up.user")] // the SDK's own catch-up name: never a token's event
    public void Create_UnknownFamily_GivesUnknownEventWithRawData(string name)
    {
        var @event = HankoEventFactory.Create(name, """{"amount":42}"""u8);

        @event.Should().BeOfType<UnknownHankoEvent>();
        @event.Name.Should().Be(name);
        @event.RawData.GetProperty("amount").GetInt32().Should().Be(42, "an event is complete when created: the catalog keeps the raw data (it no longer waits for the verifier to set it)");
    }

    [Test]
    public void Create_UserEventWithDataOfTheWrongShape_ThrowsJsonException()
    {
        var act = () => HankoEventFactory.Create("user.create", """{"id":"not-a-uuid"}"""u8);

        act.Should().Throw<System.Text.Json.JsonException>();
    }

    [Test]
    public void ResolveName_SegmentBoundaries_AreRespected()
    {
        HankoEventCatalog.ResolveName("user.updated").Should().Be("user", "'user.updated' does not extend 'user.update' at a dot");
        HankoEventCatalog.ResolveName("user.update.x").Should().Be("user.update");
        HankoEventCatalog.ResolveName("userx").Should().BeNull();
        HankoEventCatalog.ResolveName(string.Empty).Should().BeNull();
    }
}
