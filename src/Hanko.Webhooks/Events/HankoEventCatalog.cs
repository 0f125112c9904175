using System.Collections.Frozen;
using Hanko.Webhooks.Serialization;

namespace Hanko.Webhooks;

/// <summary>
/// Every event name this SDK knows, with the .NET type it becomes. An unknown name becomes the type of the longest
/// known name it extends at a dot (<c>user.update.foo</c> → <see cref="UserUpdateEvent"/>), or
/// <see cref="UnknownHankoEvent"/> when no known name is a prefix.
/// </summary>
internal static class HankoEventCatalog
{
    private static readonly FrozenDictionary<string, Entry> ByName = new Entry[]
    {
        User(HankoEventNames.User, (n, u) => new UserEvent(n) { User = u }),
        User(HankoEventNames.UserCreate, (n, u) => new UserCreateEvent(n) { User = u }),
        User(HankoEventNames.UserLogin, (n, u) => new UserLoginEvent(n) { User = u }),
        User(HankoEventNames.UserDelete, (n, u) => new UserDeleteEvent(n) { User = u }),
        User(HankoEventNames.UserUpdate, (n, u) => new UserUpdateEvent(n) { User = u }),
        User(HankoEventNames.UserEmail, (n, u) => new UserEmailEvent(n) { User = u }),
        User(HankoEventNames.UserEmailCreate, (n, u) => new UserEmailCreateEvent(n) { User = u }),
        User(HankoEventNames.UserEmailPrimary, (n, u) => new UserEmailPrimaryEvent(n) { User = u }),
        User(HankoEventNames.UserEmailDelete, (n, u) => new UserEmailDeleteEvent(n) { User = u }),
        User(HankoEventNames.UserUsername, (n, u) => new UserUsernameEvent(n) { User = u }),
        User(HankoEventNames.UserUsernameCreate, (n, u) => new UserUsernameCreateEvent(n) { User = u }),
        User(HankoEventNames.UserUsernameUpdate, (n, u) => new UserUsernameUpdateEvent(n) { User = u }),
        User(HankoEventNames.UserUsernameDelete, (n, u) => new UserUsernameDeleteEvent(n) { User = u }),
        User(HankoEventNames.UserPasswordChange, (n, u) => new UserPasswordChangeEvent(n) { User = u }),
        new(HankoEventNames.EmailSend, (n, data) => new EmailSendEvent(n) { Email = HankoPayloadSerializer.DeserializeEmailMessage(data) }),
        Session(HankoEventNames.Session, (n, s) => new SessionEvent(n) { Session = s }),
        Session(HankoEventNames.SessionCreate, (n, s) => new SessionCreateEvent(n) { Session = s }),
        Session(HankoEventNames.SessionCreateFlow, (n, s) => new SessionCreateFlowEvent(n) { Session = s }),
        Session(HankoEventNames.SessionCreateAdmin, (n, s) => new SessionCreateAdminEvent(n) { Session = s }),
        Session(HankoEventNames.SessionDelete, (n, s) => new SessionDeleteEvent(n) { Session = s }),
        Session(HankoEventNames.SessionDeleteExplicit, (n, s) => new SessionDeleteExplicitEvent(n) { Session = s }),
        Session(HankoEventNames.SessionDeleteExplicitLogout, (n, s) => new SessionDeleteExplicitLogoutEvent(n) { Session = s }),
        Session(HankoEventNames.SessionDeleteExplicitRevoke, (n, s) => new SessionDeleteExplicitRevokeEvent(n) { Session = s }),
        Session(HankoEventNames.SessionDeleteAdmin, (n, s) => new SessionDeleteAdminEvent(n) { Session = s }),
        Session(HankoEventNames.SessionDeleteAdminRevoke, (n, s) => new SessionDeleteAdminRevokeEvent(n) { Session = s }),
        Session(HankoEventNames.SessionDeletePassive, (n, s) => new SessionDeletePassiveEvent(n) { Session = s }),
        Session(HankoEventNames.SessionDeletePassiveExpire, (n, s) => new SessionDeletePassiveExpireEvent(n) { Session = s }),
        Session(HankoEventNames.SessionDeletePassiveLimit, (n, s) => new SessionDeletePassiveLimitEvent(n) { Session = s }),
    }.ToFrozenDictionary(e => e.Name, StringComparer.Ordinal);

    private static readonly Entry Unknown = new(string.Empty, (n, _) => new UnknownHankoEvent(n));

    /// <summary>Every name the SDK knows: the group names and the delivered names.</summary>
    public static IEnumerable<string> KnownNames => ByName.Keys;

    /// <summary>
    /// Creates the typed event for <paramref name="eventName"/> from the UTF-8 JSON of its <c>data</c> claim.
    /// </summary>
    /// <exception cref="System.Text.Json.JsonException">The data does not have the shape the event's type needs.</exception>
    public static HankoEvent Create(string eventName, ReadOnlySpan<byte> data) => Resolve(eventName).Create(eventName, data);

    /// <summary>The known name whose type <paramref name="eventName"/> becomes, or <see langword="null"/> for an unknown family.</summary>
    public static string? ResolveName(string eventName)
    {
        var entry = Resolve(eventName);
        return ReferenceEquals(entry, Unknown) ? null : entry.Name;
    }

    private static Entry Resolve(string eventName)
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

    private static Entry User(string name, Func<string, HankoUser, HankoEvent> create) =>
        new(name, (n, data) => create(n, HankoPayloadSerializer.DeserializeUser(data)));

    private static Entry Session(string name, Func<string, HankoSession, HankoEvent> create) =>
        new(name, (n, data) => create(n, HankoPayloadSerializer.DeserializeSession(data)));

    private delegate HankoEvent Factory(string name, ReadOnlySpan<byte> data);

    private sealed class Entry(string name, Factory create)
    {
        public string Name { get; } = name;

        public Factory Create { get; } = create;
    }
}
