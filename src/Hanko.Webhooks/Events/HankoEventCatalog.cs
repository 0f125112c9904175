using System.Collections.Frozen;

namespace Hanko.Webhooks;

/// <summary>
/// <b>The one table of events.</b> Each Hanko event name is declared here once, with its .NET type (whose base class is its
/// parent group), whether Hanko delivers it itself or it is only a group, and how the event is built from its parts and its
/// payload. Everything else is derived from it: the known names (<see cref="HankoEventNames.All"/>), <see cref="HankoEventNames.Delivered"/> (and so <c>FakeHanko.EventNames</c>), the
/// handler slots of the dispatcher (built by Handling from <see cref="EventTypes"/>), and name → type resolution. Adding a Hanko event is one row here, its type file, its
/// constant in <see cref="HankoEventNames"/> and its payload fixture.
/// </summary>
/// <remarks>
/// An unknown name becomes the type of the longest known name it extends at a dot (<c>user.update.foo</c> →
/// <see cref="UserUpdateEvent"/>), or <see cref="UnknownHankoEvent"/> when no known name is a prefix.
/// This is data: it reads no JSON (the factory in Serialization reads the payload through <see cref="IHankoPayloadReader"/>)
/// and knows no handler.
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
        User(HankoEventNames.UserCustomClaims, Delivered, (p, u) => new UserCustomClaimsEvent(p.Name) { User = u, Parts = p }),
        Event(HankoEventNames.EmailSend, Delivered, (p, r) => new EmailSendEvent(p.Name) { Email = r.ReadEmailMessage(p.Data.Span), Parts = p }),
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

    /// <summary>
    /// The SDK's own events, outside Hanko's tree: Hanko never sends their names, no subscription asks for them, a verified
    /// token never becomes one (<see cref="Resolve"/> does not know them), and their handler chain is their own type alone
    /// (no handler of <see cref="HankoEvent"/> receives them). Only a handed-off delivery the SDK made itself is one
    /// (<see cref="ResolveHandedOff"/>).
    /// </summary>
    internal static readonly Row[] SdkRows =
    [
        Event(HankoEventNames.UserCatchUp, Group, (p, r) => CatchUp(p, r.ReadUserCatchUp(p.Data.Span))),
    ];

    private static readonly FrozenDictionary<string, Row> ByName = Rows.ToFrozenDictionary(r => r.Name, StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, Row> SdkByName = SdkRows.ToFrozenDictionary(r => r.Name, StringComparer.Ordinal);

    private static readonly FrozenSet<Type> SdkTypes = SdkRows.Select(r => r.EventType).ToFrozenSet();

    private static readonly Row Unknown = Event<UnknownHankoEvent>(string.Empty, Group, (p, _) => new UnknownHankoEvent(p.Name) { Parts = p });

    private static readonly FrozenDictionary<Type, string[]> SubscriptionsByType = Rows
        .ToDictionary(r => r.EventType, r => new[] { r.Name })
        .Append(new(typeof(HankoEvent), [.. Rows.Where(r => r.ParentType is null).Select(r => r.Name).Order(StringComparer.Ordinal)]))
        .Append(new(typeof(UnknownHankoEvent), []))
        .Concat(SdkRows.Select(r => new KeyValuePair<Type, string[]>(r.EventType, [])))
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

    /// <summary>Every event type a handler can take: the table's, <see cref="UnknownHankoEvent"/> and <see cref="HankoEvent"/>.</summary>
    public static IEnumerable<HankoEventType> EventTypes => Rows.Concat(SdkRows).Select(r => r.Type).Append(Unknown.Type).Append(HankoEventType.Of<HankoEvent>());

    /// <summary>Whether <paramref name="eventType"/> is one of the SDK's own events (<see cref="SdkRows"/>), whose handler chain is its own type alone.</summary>
    public static bool IsSdkEvent(Type eventType) => SdkTypes.Contains(eventType);

    /// <summary>The row of a handed-off delivery: an SDK event by its exact name, otherwise as <see cref="Resolve"/>.</summary>
    public static Row ResolveHandedOff(string eventName) => SdkByName.TryGetValue(eventName, out var row) ? row : Resolve(eventName);

    /// <summary>The known name whose type <paramref name="eventName"/> becomes, or <see langword="null"/> for an unknown family.</summary>
    public static string? ResolveName(string eventName)
    {
        var entry = Resolve(eventName);
        return ReferenceEquals(entry, Unknown) ? null : entry.Name;
    }

    /// <summary>The row whose type an event named <paramref name="eventName"/> becomes: its own, the longest known group it extends, or the unknown event's.</summary>
    public static Row Resolve(string eventName)
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

    private static UserCatchUpEvent CatchUp(HankoEventParts parts, UserCatchUpData data) => new()
    {
        UserId = data.UserId,
        User = data.User,
        EventNames = data.EventNames,
        AuditLogTypes = data.AuditLogTypes,
        WindowStart = data.WindowStart,
        WindowEnd = data.WindowEnd,
        Parts = parts,
    };

    private static Row User<T>(string name, bool delivered, Func<HankoEventParts, HankoUser, T> create)
        where T : UserEvent =>
        Event(name, delivered, (p, r) => create(p, r.ReadUser(p.Data.Span)));

    private static Row Session<T>(string name, bool delivered, Func<HankoEventParts, HankoSession, T> create)
        where T : SessionEvent =>
        Event(name, delivered, (p, r) => create(p, r.ReadSession(p.Data.Span)));

    private static Row Event<T>(string name, bool delivered, Func<HankoEventParts, IHankoPayloadReader, T> create)
        where T : HankoEvent =>
        new(name, HankoEventType.Of<T>(), delivered, create);

    /// <summary>One declared event: its name, its type, whether Hanko delivers it, and how it is built from its parts and payload.</summary>
    internal sealed record Row(string Name, HankoEventType Type, bool IsDelivered, Func<HankoEventParts, IHankoPayloadReader, HankoEvent> Create)
    {
        /// <summary>The event's .NET type.</summary>
        public Type EventType => Type.Type;

        /// <summary>The group this event belongs to: its type's base type, which is the row of its parent name.</summary>
        public Type? ParentType => EventType.BaseType == typeof(HankoEvent) ? null : EventType.BaseType;
    }
}
