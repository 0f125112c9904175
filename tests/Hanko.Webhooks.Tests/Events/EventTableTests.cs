using System.Reflection;
using FluentAssertions;
using Hanko.Webhooks.Handling;
using Hanko.Webhooks.Testing;
using Hanko.Webhooks.Tests.TestSupport;
using NUnit.Framework;

namespace Hanko.Webhooks.Tests.Events;

/// <summary>
/// The one table of events (<see cref="HankoEventCatalog"/>): every list of events is derived from it, so a new Hanko event is
/// one row, its type file, its name constant and its fixture. Each test fails when one of those is missing.
/// </summary>
public sealed class EventTableTests
{
    private static readonly HankoEventCatalog.Row[] Rows = HankoEventCatalog.Rows;

    [Test]
    public void Table_HasARowForEveryEventTypeFile_AndForNothingElse()
    {
        var types = typeof(HankoEvent).Assembly.GetExportedTypes()
            .Where(t => t.IsSubclassOf(typeof(HankoEvent)) && t != typeof(UnknownHankoEvent));

        Rows.Concat(HankoEventCatalog.SdkRows).Select(r => r.EventType).Should().OnlyHaveUniqueItems().And.BeEquivalentTo(types, "a type file without its row would never be created");
        HankoEventCatalog.SdkRows.Select(r => r.EventType).Should().Equal([typeof(UserCatchUpEvent)], "the SDK's own events are outside Hanko's tree");
    }

    [Test]
    public void Table_DeclaresEachNameConstantOnce()
    {
        var constants = typeof(HankoEventNames).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!);

        Rows.Select(r => r.Name).Should().OnlyHaveUniqueItems().And.BeEquivalentTo(constants);
    }

    [Test]
    public void Table_ParentOfEachTypeIsTheRowOfItsParentName()
    {
        foreach (var row in Rows)
        {
            var dot = row.Name.LastIndexOf('.');
            var parentName = dot < 0 ? null : HankoEventCatalog.ResolveName(row.Name[..dot]);
            var parentRow = Rows.SingleOrDefault(r => r.Name == parentName);
            row.ParentType.Should().Be(parentRow?.EventType, $"{row.EventType.Name} ({row.Name}) must extend the type of its parent group");
        }
    }

    [Test]
    public void DerivedLists_DeliveredNamesFakeHankoAndHandlerSlots_ComeFromTheTable()
    {
        HankoEventNames.All.Should().Equal(Rows.Select(r => r.Name), "every event and group name, in table order");
        HankoEventNames.All.Should().Contain([HankoEventNames.User, HankoEventNames.UserUpdate, HankoEventNames.SessionDelete, HankoEventNames.UserEmail])
            .And.Contain(HankoEventNames.Delivered).And.NotContain("user.update.password", "Hanko has no such group");
        HankoEventNames.Delivered.Should().Equal(Rows.Where(r => r.IsDelivered).Select(r => r.Name));
        HankoEventNames.Delivered.Should().BeEquivalentTo(Fixtures.DeliveredEventNames, "the 20 names Hanko sends, written out independently");
        FakeHanko.EventNames.Should().BeSameAs(HankoEventNames.Delivered);
        foreach (var row in Rows)
        {
            var chain = HandlerSlot.ChainFor(row.EventType).Select(s => s.EventType);
            var expected = new List<Type>();
            for (var t = row.EventType; t != typeof(object); t = t.BaseType!)
            {
                expected.Add(t);
            }

            chain.Should().Equal(expected, $"{row.EventType.Name}'s handlers, most specific first");
        }
    }

    [Test]
    public void EveryDeliveredEvent_HasAPayloadFixture_AndIsCreatedCompleteFromItsParts()
    {
        foreach (var name in HankoEventNames.Delivered)
        {
            var parts = new HankoEventParts(name, Fixtures.Data(Fixtures.ForEvent(name)))
            {
                IssuedAt = VerifierHarness.Start,
                ExpiresAt = VerifierHarness.Start.AddMinutes(5),
                Audience = ["localhost"],
                DeliveryId = new string('a', 64),
            };

            var @event = HankoEventFactory.Create(parts);

            @event.Should().BeOfType(Rows.Single(r => r.Name == name).EventType);
            (@event.Name, @event.IssuedAt, @event.ExpiresAt, @event.DeliveryId).Should().Be((name, parts.IssuedAt, parts.ExpiresAt, parts.DeliveryId));
            @event.Audience.Should().Equal("localhost");
            @event.RawData.GetRawText().Should().Be(Fixtures.DataElement(Fixtures.ForEvent(name)).GetRawText());
        }
    }

    [Test]
    public void HankoEvent_HasNoMemberThatChangesItAfterCreation()
    {
        var mutators = typeof(HankoEvent).GetMethods(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
            .Where(m => m.ReturnType == typeof(void) && !m.IsSpecialName && m.DeclaringType == typeof(HankoEvent));

        mutators.Should().BeEmpty("events are complete when created (no SetClaims, no SetDeliveryId)");
        typeof(HankoEvent).GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .Where(p => p.SetMethod is { } set && !set.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(System.Runtime.CompilerServices.IsExternalInit)))
            .Should().BeEmpty("every property is get-only or init-only");
    }
}
