namespace Hanko.Webhooks;

/// <summary>
/// A user whose state may have changed while Hanko could not deliver to this application (the app was down, or Hanko had
/// disabled the hook), rebuilt from Hanko's Admin API by the catch-up of Hanko.Webhooks.Subscriptions (<c>IHankoCatchUp</c>):
/// the user as Hanko has it now (<see cref="User"/>), or <see cref="IsDeleted"/>, with what the audit log says happened in the
/// window (<see cref="EventNames"/>). Handle it with <c>IHankoEventHandler&lt;UserCatchUpEvent&gt;</c>: upsert the user, or
/// delete it. Each user is handed over once per window, through the same path as a webhook (inline, or the project's
/// hand-off: durable with retries and dead letters when Redis durable processing is on).
/// </summary>
/// <remarks>
/// <para>
/// It is a snapshot, not one of Hanko's events, so it reaches no handler of Hanko's events. The type hierarchy says so: it is
/// sealed and derives from <see cref="HankoEvent"/> directly (the pipeline's carrier of delivery id and project), so it is
/// no <see cref="UserEvent"/>, and no handler of a type in Hanko's subscription tree can take it; and the dispatcher gives
/// handlers of <see cref="HankoEvent"/> itself only Hanko's events (the event table declares this type outside Hanko's tree,
/// so its chain of handler types is its own type alone). Replaying a snapshot as <c>user.create</c> would, for example, send
/// a welcome mail twice.
/// </para>
/// <para>
/// <see cref="HankoEvent.DeliveryId"/> is derived from the project, the user id and the window, so the same window run again
/// (or by two instances) hands each user over once while the claim lasts (seven days, <see cref="HankoEvent.ExpiresAt"/>).
/// <see cref="HankoEvent.IssuedAt"/> is when it was handed over; <see cref="HankoEvent.Audience"/> is empty;
/// <see cref="HankoEvent.RawData"/> is the SDK's own record of the catch-up (the user under <c>user</c>).
/// </para>
/// </remarks>
public sealed class UserCatchUpEvent : HankoEvent
{
    /// <summary>Creates an event named <c>hanko-webhooks.catch-up.user</c> (the SDK's name, not Hanko's), for example to unit-test a handler.</summary>
    public UserCatchUpEvent()
        : base(HankoEventNames.UserCatchUp)
    {
    }

    /// <summary>The user's id, as in the audit log's <c>actor_user_id</c> and the Admin API's <c>/users/{id}</c>.</summary>
    public required Guid UserId { get; init; }

    /// <summary>The user as Hanko's Admin API describes it now (<c>GET /users/{id}</c>); <see langword="null"/> when the user is deleted.</summary>
    public HankoUser? User { get; init; }

    /// <summary>Whether the user no longer exists (the Admin API answered 404).</summary>
    public bool IsDeleted => User is null;

    /// <summary>
    /// The Hanko event names the audit log's entries for this user in the window stand for, oldest first, each once (for
    /// example <c>user.create</c>, <c>user.update.email.create</c>, <c>user.login</c>); <c>user.update.username</c> for a
    /// username created or changed (the audit log does not tell which). Empty when every entry was a change Hanko sends no
    /// webhook for (a passkey or OTP added); see <see cref="AuditLogTypes"/>.
    /// </summary>
    public IReadOnlyList<string> EventNames { get; init; } = [];

    /// <summary>The audit log's entry types for this user in the window, oldest first, each once (for example <c>passkey_created</c>).</summary>
    public IReadOnlyList<string> AuditLogTypes { get; init; } = [];

    /// <summary>The start of the window caught up (exclusive, as Hanko's audit log filters).</summary>
    public required DateTimeOffset WindowStart { get; init; }

    /// <summary>The end of the window caught up (exclusive).</summary>
    public required DateTimeOffset WindowEnd { get; init; }
}
