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
/// Each call opens the <c>hanko.webhooks.delivery</c> span and counts the delivery once in <c>hanko.webhooks.deliveries</c>
/// (a handed-off one when <see cref="ProcessHandedOffAsync"/> has run its handlers).
/// </para>
/// </remarks>
public interface IHankoWebhookReceiver
{
    /// <summary>Receives a body already in memory and runs the handlers inline.</summary>
    /// <param name="body">The request body, <c>{"token":"…","event":"…"}</c>.</param>
    /// <param name="cancellationToken">Cancels the work (the handlers receive it).</param>
    /// <returns>What happened, and the answer.</returns>
    ValueTask<HankoReceiveResult> ReceiveAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default);

    /// <summary>Receives a body already in memory, with an event filter and inline or hand-off processing.</summary>
    /// <param name="body">The request body, <c>{"token":"…","event":"…"}</c>.</param>
    /// <param name="options">The filter and the processing mode.</param>
    /// <param name="cancellationToken">Cancels the work (the handlers receive it).</param>
    /// <returns>What happened, and the answer.</returns>
    ValueTask<HankoReceiveResult> ReceiveAsync(ReadOnlyMemory<byte> body, HankoReceiveOptions options, CancellationToken cancellationToken = default);

    /// <summary>Reads (at most <see cref="HankoWebhookOptions.MaxBodyBytes"/>) and receives a body, without header checks.</summary>
    /// <param name="body">The request body stream; read, not disposed.</param>
    /// <param name="cancellationToken">Cancels the work (the handlers receive it).</param>
    /// <returns>What happened, and the answer.</returns>
    ValueTask<HankoReceiveResult> ReceiveAsync(Stream body, CancellationToken cancellationToken = default);

    /// <summary>Receives an HTTP request: content type (415), declared length (413), bounded read, then as for a body in memory.</summary>
    /// <param name="body">The request body stream; read, not disposed.</param>
    /// <param name="request">The request's <c>Content-Type</c> and <c>Content-Length</c>.</param>
    /// <param name="cancellationToken">Cancels the work (the handlers receive it).</param>
    /// <returns>What happened, and the answer.</returns>
    ValueTask<HankoReceiveResult> ReceiveAsync(Stream body, HankoRequestInfo request, CancellationToken cancellationToken = default);

    /// <summary>Receives an HTTP request with an event filter and inline or hand-off processing.</summary>
    /// <param name="body">The request body stream; read, not disposed.</param>
    /// <param name="request">The request's <c>Content-Type</c> and <c>Content-Length</c>.</param>
    /// <param name="options">The filter and the processing mode.</param>
    /// <param name="cancellationToken">Cancels the work (the handlers receive it).</param>
    /// <returns>What happened, and the answer.</returns>
    ValueTask<HankoReceiveResult> ReceiveAsync(Stream body, HankoRequestInfo request, HankoReceiveOptions options, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs the handlers of an event that was handed off (<see cref="HankoReceiveOutcome.HandedOff"/>), counts the delivery,
    /// and when a handler failed releases its claim so that another copy is processed.
    /// </summary>
    /// <param name="event">The handed-off event.</param>
    /// <param name="cancellationToken">Passed to the handlers.</param>
    /// <returns>How the handlers did.</returns>
    Task<HankoDispatchResult> ProcessHandedOffAsync(HankoEvent @event, CancellationToken cancellationToken = default);

    /// <summary>
    /// Forgets that <paramref name="event"/> was received, so that another copy of it is processed. For events handed off
    /// with <see cref="HankoReceiveOptions.HandOff"/> whose later processing failed outside the handlers. Cache failures are
    /// logged, not thrown.
    /// </summary>
    /// <param name="event">A verified event (its <see cref="HankoEvent.DeliveryId"/> is used).</param>
    /// <param name="cancellationToken">Cancels the cache request.</param>
    /// <returns>A task that completes when the claim is gone.</returns>
    ValueTask ReleaseAsync(HankoEvent @event, CancellationToken cancellationToken = default);
}
