namespace Hanko.Webhooks;

/// <summary>
/// The whole delivery, from the request body on: read it (bounded by <see cref="HankoWebhookOptions.MaxBodyBytes"/>),
/// verify, recognise a repeated delivery, dispatch or hand off, and decide the answer
/// (<see cref="HankoReceiveResult.StatusCode"/>). Host-agnostic: the ASP.NET Core endpoint is a thin adapter over it, and an
/// Azure Functions, Lambda or <c>HttpListener</c> host needs nothing else. Registered by <c>AddHankoWebhooks()</c>.
/// </summary>
/// <remarks>
/// <para>
/// A delivery is <em>claimed</em> (its <see cref="HankoEvent.DeliveryId"/> written to the replay cache until the token
/// expires) before its handlers run. When any handler fails, the claim is released again, so that a genuine second copy can
/// still be processed. A copy that arrives in the same process while the first is being processed waits for the first's
/// outcome. See <see cref="HankoWebhookOptions.ReplayProtection"/>.
/// </para>
/// <para>
/// Each receive call opens the <c>hanko.webhooks.delivery</c> span and counts the delivery once in <c>hanko.webhooks.deliveries</c>;
/// each <see cref="ProcessHandedOffAsync"/> opens a <c>hanko.webhooks.handed_off</c> span and counts one run in
/// <c>hanko.webhooks.handed_off.runs</c>.
/// </para>
/// </remarks>
public interface IHankoWebhookReceiver
{
    /// <summary>Receives a body already in memory.</summary>
    /// <param name="body">The request body, <c>{"token":"…","event":"…"}</c>.</param>
    /// <param name="cancellationToken">Cancels the work (the handlers receive it).</param>
    /// <returns>What happened, and the answer.</returns>
    ValueTask<HankoReceiveResult> ReceiveAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default);

    /// <summary>Receives a body already in memory, with an event filter.</summary>
    /// <param name="body">The request body, <c>{"token":"…","event":"…"}</c>.</param>
    /// <param name="options">The event filter (<see cref="HankoReceiveOptions.Accept"/>); <see langword="null"/> accepts every event.</param>
    /// <param name="cancellationToken">Cancels the work (the handlers receive it).</param>
    /// <returns>What happened, and the answer.</returns>
    ValueTask<HankoReceiveResult> ReceiveAsync(ReadOnlyMemory<byte> body, HankoReceiveOptions? options, CancellationToken cancellationToken = default);

    /// <summary>
    /// Receives a request body from a stream: with <paramref name="request"/>, the content type (415) and the declared length
    /// (413) are checked first; then the body is read (at most <see cref="HankoWebhookOptions.MaxBodyBytes"/>) and received as
    /// a body in memory.
    /// </summary>
    /// <param name="body">The request body stream; read, not disposed.</param>
    /// <param name="request">The request's <c>Content-Type</c> and <c>Content-Length</c>; <see langword="null"/> skips the header checks.</param>
    /// <param name="cancellationToken">Cancels the work (the handlers receive it).</param>
    /// <returns>What happened, and the answer.</returns>
    ValueTask<HankoReceiveResult> ReceiveAsync(Stream body, HankoRequestInfo? request = null, CancellationToken cancellationToken = default);

    /// <summary>Receives a request body from a stream, as above, with an event filter.</summary>
    /// <param name="body">The request body stream; read, not disposed.</param>
    /// <param name="request">The request's <c>Content-Type</c> and <c>Content-Length</c>; <see langword="null"/> skips the header checks.</param>
    /// <param name="options">The event filter (<see cref="HankoReceiveOptions.Accept"/>); <see langword="null"/> accepts every event.</param>
    /// <param name="cancellationToken">Cancels the work (the handlers receive it).</param>
    /// <returns>What happened, and the answer.</returns>
    ValueTask<HankoReceiveResult> ReceiveAsync(Stream body, HankoRequestInfo? request, HankoReceiveOptions? options, CancellationToken cancellationToken = default);

    /// <summary>
    /// The one way back in for a delivery the project's <see cref="IHankoHandOff"/> took (<see cref="HankoReceiveOutcome.Accepted"/>),
    /// called by its worker: rebuilds the event from the parts with the SDK's own reader and limits (as the verifier does),
    /// runs the handlers with <paramref name="attempt"/> (see <see cref="HankoDeliveryContext"/>), counts the run (one that
    /// throws, e.g. cancelled at shutdown, is not counted; its span ends failed), and, when
    /// the hand-off does not claim deliveries itself, releases the receiver's claim if the run failed (a handler failed, the
    /// data does not fit, or this method threw), so that another copy is processed.
    /// </summary>
    /// <param name="delivery">The parts the hand-off was given (stored with <see cref="HankoEventParts.ToBytes"/>, or held in memory); they are this receiver's project's.</param>
    /// <param name="attempt">Which run this is, from 1; a durable worker's retries count up.</param>
    /// <param name="cancellationToken">Passed to the handlers.</param>
    /// <returns>
    /// <see cref="HankoReceiveOutcome.Dispatched"/> with <see cref="HankoReceiveResult.Dispatch"/> (did every handler succeed;
    /// the failures, for example a <see cref="HankoDoNotRetryException"/>), or <see cref="HankoReceiveOutcome.Refused"/> with
    /// <see cref="HankoWebhookFailure.InvalidPayload"/> and the reason in <see cref="HankoReceiveResult.ProblemDetail"/> when the
    /// data does not fit the SDK's models (retrying will not help until an upgrade).
    /// </returns>
    Task<HankoReceiveResult> ProcessHandedOffAsync(HankoEventParts delivery, int attempt, CancellationToken cancellationToken = default);

    /// <summary>
    /// Hands over one user the catch-up rebuilt from Hanko's Admin API (Hanko.Webhooks.Subscriptions' <c>IHankoCatchUp</c>) as a
    /// <see cref="UserCatchUpEvent"/>. The SDK's receiver takes it the same path as a verified delivery: claimed by its
    /// delivery id (derived from this receiver's project, <paramref name="userId"/> and the window, and kept seven days), then
    /// dispatched inline to the <c>IHankoEventHandler&lt;UserCatchUpEvent&gt;</c> handlers, or given to the project's
    /// <see cref="IHankoHandOff"/> (durable with retries and dead letters when Redis durable processing is on). No filter
    /// applies, and it is not counted as a delivery.
    /// </summary>
    /// <remarks>
    /// Added after 1.0 as a default member, so that a receiver written against 1.0 (a decorator, a test fake) still compiles
    /// and still hands the user over: the default builds the catch-up's parts with the SDK's own writer (delivery id of the
    /// unnamed project) and runs them through this receiver's <see cref="ProcessHandedOffAsync"/> as attempt 1, without a
    /// claim of its own. A decorator that should claim and hand off as the SDK does forwards this member too.
    /// </remarks>
    /// <param name="userId">The user's id.</param>
    /// <param name="user">The user's JSON as the Admin API answered <c>GET /users/{id}</c> (<c>admin.User</c>, read with the SDK's own reader and limits); empty when the user is deleted (404).</param>
    /// <param name="eventNames">The Hanko event names the audit log's entries stand for (<see cref="UserCatchUpEvent.EventNames"/>).</param>
    /// <param name="auditLogTypes">The audit log's entry types (<see cref="UserCatchUpEvent.AuditLogTypes"/>).</param>
    /// <param name="windowStart">The window's start (exclusive).</param>
    /// <param name="windowEnd">The window's end (exclusive), after <paramref name="windowStart"/>.</param>
    /// <param name="cancellationToken">Cancels the work (the handlers receive it).</param>
    /// <returns>
    /// <see cref="HankoReceiveOutcome.Dispatched"/> (see <see cref="HankoReceiveResult.Dispatch"/>), <see cref="HankoReceiveOutcome.Accepted"/>
    /// (handed off), <see cref="HankoReceiveOutcome.Duplicate"/> (this user was handed over for this window already),
    /// <see cref="HankoReceiveOutcome.HandOffDeclined"/> or <see cref="HankoReceiveOutcome.ReplayCheckUnavailable"/> (not taken: run again), or
    /// <see cref="HankoReceiveOutcome.Refused"/> with <see cref="HankoWebhookFailure.InvalidPayload"/> when <paramref name="user"/> does not fit the SDK's model.
    /// </returns>
    /// <exception cref="ArgumentException">The window is empty (<paramref name="windowEnd"/> not after <paramref name="windowStart"/>).</exception>
    async ValueTask<HankoReceiveResult> ReceiveCatchUpAsync(
        Guid userId,
        ReadOnlyMemory<byte> user,
        IReadOnlyList<string> eventNames,
        IReadOnlyList<string> auditLogTypes,
        DateTimeOffset windowStart,
        DateTimeOffset windowEnd,
        CancellationToken cancellationToken = default)
    {
        if (!Receiving.CatchUpParts.TryCreate(null, userId, user.Span, eventNames, auditLogTypes, windowStart, windowEnd, TimeProvider.System.GetUtcNow(), out var parts, out var error))
        {
            return HankoReceiveResult.Refused(HankoVerificationResult.Fail(HankoWebhookFailure.InvalidPayload, error));
        }

        return await ProcessHandedOffAsync(parts, attempt: 1, cancellationToken).ConfigureAwait(false);
    }
}
