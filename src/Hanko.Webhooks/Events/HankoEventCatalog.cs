using System.Collections.Frozen;
using Hanko.Webhooks.Handling;
using Hanko.Webhooks.Serialization;

namespace Hanko.Webhooks;

/// <summary>
/// <b>The one table of events.</b> Each Hanko event name is declared here once, with its .NET type (whose base class is its
/// parent group), whether Hanko delivers it itself or it is only a group, and how its payload is read. Everything else is
/// derived from it: the known names (<see cref="HankoEventNames.All"/>), <see cref="HankoEventNames.Delivered"/> (and so <c>FakeHanko.EventNames</c>), the
/// handler slots of the dispatcher, and name → type resolution. Adding a Hanko event is one row here, its type file, its
/// constant in <see cref="HankoEventNames"/> and its payload fixture.
/// </summary>
/// <remarks>
/// An unknown name becomes the type of the longest known name it extends at a dot (<c>user.update.foo</c> →
/// <see cref="UserUpdateEvent"/>), or <see cref="UnknownHankoEvent"/> when no known name is a prefix.
/// </remarks>
internal static class HankoEventCatalog
{
    private const bool Delivered = true;
    private const bool Group = false;

    /// <summary>The table, in Hanko's subscription-tree order.</summary>
    internal static readonly Row[] Rows =
    [
        User(HankoEventNames.User, Group, (p, u) => new UserEvent(p.Name) { User = u, Parts = p }),
        User(HankoEventNames.UserCreate, Delivered, (p, u) => new UserCreateEvent(p.Name) { User = u, Parts = p }),
        User(HankoEventNames.UserLogin, Delivered, (p, u) => new UserLoginEvent(p.Name) { User = u, Parts = p }),
        User(HankoEventNames.UserDelete, Delivered, (p, u) => new UserDeleteEvent(p.Name) { User = u, Parts = p }),
        User(HankoEventNames.UserUpdate, Delivered, (p, u) => new UserUpdateEvent(p.Name) { User = u, Parts = p }),
        User(HankoEventNames.UserEmail, Group, (p, u) => new UserEmailEvent(p.Name) { User = u, Parts = p }),
        User(HankoEventNames.UserEmailCreate, Delivered, (p, u) => new UserEmailCreateEvent(p.Name) { User = u, Parts = p }),
        User(HankoEventNames.UserEmailPrimary, Delivered, (p, u) => new UserEmailPrimaryEvent(p.Name) { User = u, Parts = p }),
        User(HankoEventNames.UserEmailDelete, Delivered, (p, u) => new UserEmailDeleteEvent(p.Name) { User = u, Parts = p }),
        User(HankoEventNames.UserUsername, Group, (p, u) => new UserUsernameEvent(p.Name) { User = u, Parts = p }),
        User(HankoEventNames.UserUsernameCreate, Delivered, (p, u) => new UserUsernameCreateEvent(p.Name) { User = u, Parts = p }),
        User(HankoEventNames.UserUsernameUpdate, Delivered, (p, u) => new UserUsernameUpdateEvent(p.Name) { User = u, Parts = p }),
        User(HankoEventNames.UserUsernameDelete, Delivered, (p, u) => new UserUsernameDeleteEvent(p.Name) { User = u, Parts = p }),
        User(HankoEventNames.UserPasswordChange, Delivered, (p, u) => new UserPasswordChangeEvent(p.Name) { User = u, Parts = p }),
        Event(HankoEventNames.EmailSend, Delivered, p => new EmailSendEvent(p.Name) { Email = HankoPayloadSerializer.DeserializeEmailMessage(p.Data.Span), Parts = p }),
        Session(HankoEventNames.Session, Group, (p, s) => new SessionEvent(p.Name) { Session = s, Parts = p }),
        Session(HankoEventNames.SessionCreate, Group, (p, s) => new SessionCreateEvent(p.Name) { Session = s, Parts = p }),
        Session(HankoEventNames.SessionCreateFlow, Delivered, (p, s) => new SessionCreateFlowEvent(p.Name) { Session = s, Parts = p }),
        Session(HankoEventNames.SessionCreateAdmin, Delivered, (p, s) => new SessionCreateAdminEvent(p.Name) { Session = s, Parts = p }),
        Session(HankoEventNames.SessionDelete, Group, (p, s) => new SessionDeleteEvent(p.Name) { Session = s, Parts = p }),
        Session(HankoEventNames.SessionDeleteExplicit, Group, (p, s) => new SessionDeleteExplicitEvent(p.Name) { Session = s, Parts = p }),
        Session(HankoEventNames.SessionDeleteExplicitLogout, Delivered, (p, s) => new SessionDeleteExplicitLogoutEvent(p.Name) { Session = s, Parts = p }),
        Session(HankoEventNames.SessionDeleteExplicitRevoke, Delivered, (p, s) => new SessionDeleteExplicitRevokeEvent(p.Name) { Session = s, Parts = p }),
        Session(HankoEventNames.SessionDeleteAdmin, Group, (p, s) => new SessionDeleteAdminEvent(p.Name) { Session = s, Parts = p }),
        Session(HankoEventNames.SessionDeleteAdminRevoke, Delivered, (p, s) => new SessionDeleteAdminRevokeEvent(p.Name) { Session = s, Parts = p }),
        Session(HankoEventNames.SessionDeletePassive, Group, (p, s) => new SessionDeletePassiveEvent(p.Name) { Session = s, Parts = p }),
        Session(HankoEventNames.SessionDeletePassiveExpire, Delivered, (p, s) => new SessionDeletePassiveExpireEvent(p.Name) { Session = s, Parts = p }),
        Session(HankoEventNames.SessionDeletePassiveLimit, Delivered, (p, s) => new SessionDeletePassiveLimitEvent(p.Name) { Session = s, Parts = p }),
    ];

    private static readonly FrozenDictionary<string, Row> ByName = Rows.ToFrozenDictionary(r => r.Name, StringComparer.Ordinal);

    private static readonly Row Unknown = Event<UnknownHankoEvent>(string.Empty, Group, p => new UnknownHankoEvent(p.Name) { Parts = p });

    private static readonly FrozenDictionary<Type, string[]> SubscriptionsByType = Rows
        .ToDictionary(r => r.EventType, r => new[] { r.Name })
        .Append(new(typeof(HankoEvent), [.. Rows.Where(r => r.ParentType is null).Select(r => r.Name).Order(StringComparer.Ordinal)]))
        .Append(new(typeof(UnknownHankoEvent), []))
        .ToFrozenDictionary();

    /// <summary>See <see cref="HankoEventNames.SubscriptionsFor"/>; <see langword="null"/> for a type that is not the SDK's.</summary>
    public static IReadOnlyList<string>? SubscriptionsFor(Type eventType) =>
        SubscriptionsByType.TryGetValue(eventType, out var names) ? Array.AsReadOnly(names) : null;

    /// <summary>Every name the SDK knows: the group names and the delivered names.</summary>
    public static IEnumerable<string> KnownNames => ByName.Keys;

    /// <summary>Every name of the table, group and delivered, in table order.</summary>
    public static readonly IReadOnlyList<string> AllNames = Array.AsReadOnly(Rows.Select(r => r.Name).ToArray());

    /// <summary>The names Hanko puts into <c>evt</c> itself, in table order.</summary>
    public static readonly IReadOnlyList<string> DeliveredNames = Array.AsReadOnly(Rows.Where(r => r.IsDelivered).Select(r => r.Name).ToArray());

    /// <summary>The dispatcher's handler slot of every event type: the table's, <see cref="UnknownHankoEvent"/>'s and <see cref="HankoEvent"/>'s.</summary>
    public static IEnumerable<HandlerSlot> Slots => Rows.Select(r => r.Slot).Append(Unknown.Slot).Append(HandlerSlot.For<HankoEvent>());

    /// <summary>Creates the complete event for verified <paramref name="parts"/> (its payload read from <see cref="HankoEventParts.Data"/>).</summary>
    /// <exception cref="System.Text.Json.JsonException">The data does not have the shape the event's type needs.</exception>
    public static HankoEvent Create(HankoEventParts parts) => Resolve(parts.Name).Create(parts);

    /// <summary>Creates an event from its name and data alone (tests and benchmarks): no claims, no delivery id.</summary>
    public static HankoEvent Create(string eventName, ReadOnlySpan<byte> data) => Create(new HankoEventParts(eventName, data.ToArray()));

    /// <summary>The known name whose type <paramref name="eventName"/> becomes, or <see langword="null"/> for an unknown family.</summary>
    public static string? ResolveName(string eventName)
    {
        var entry = Resolve(eventName);
        return ReferenceEquals(entry, Unknown) ? null : entry.Name;
    }

    private static Row Resolve(string eventName)
    {
        if (ByName.TryGetValue(eventName, out var entry))
        {
            return entry;
        }

        // Longest known name that eventName extends at a segment boundary ("user.update" for "user.update.foo").
        var span = eventName.AsSpan();
        for (var dot = span.LastIndexOf('.'); dot > 0; dot = span[..dot].LastIndexOf('.'))
        {
            if (ByName.TryGetValue(eventName[..dot], out entry))
            {
                return entry;
            }
        }

        return Unknown;
    }

    private static Row User<T>(string name, bool delivered, Func<HankoEventParts, HankoUser, T> create)
        where T : UserEvent =>
        Event(name, delivered, p => create(p, HankoPayloadSerializer.DeserializeUser(p.Data.Span)));

    private static Row Session<T>(string name, bool delivered, Func<HankoEventParts, HankoSession, T> create)
        where T : SessionEvent =>
        Event(name, delivered, p => create(p, HankoPayloadSerializer.DeserializeSession(p.Data.Span)));

    private static Row Event<T>(string name, bool delivered, Func<HankoEventParts, T> create)
        where T : HankoEvent =>
        new(name, typeof(T), delivered, create, HandlerSlot.For<T>());

    /// <summary>One declared event.</summary>
    internal sealed record Row(string Name, Type EventType, bool IsDelivered, Func<HankoEventParts, HankoEvent> Create, HandlerSlot Slot)
    {
        /// <summary>The group this event belongs to: its type's base type, which is the row of its parent name.</summary>
        public Type? ParentType => EventType.BaseType == typeof(HankoEvent) ? null : EventType.BaseType;
    }
}
