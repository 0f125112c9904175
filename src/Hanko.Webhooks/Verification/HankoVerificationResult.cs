using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Hanko.Webhooks;

/// <summary>The outcome of verifying a delivery: the typed event, or the reason it was refused.</summary>
public sealed class HankoVerificationResult
{
    // Boxed, so that every result (most are successes) holds one reference, not the parts inline.
    private readonly StrongBox<HankoEventParts>? _unprocessable;

    private HankoVerificationResult(HankoEvent? @event, HankoWebhookFailure failure, string? message, HankoEventParts? unprocessable = null)
    {
        Event = @event;
        Failure = failure;
        FailureMessage = message;
        _unprocessable = unprocessable is { } parts ? new(parts) : null;
    }

    /// <summary>Whether the delivery was verified; <see cref="Event"/> is then set.</summary>
    [MemberNotNullWhen(true, nameof(Event))]
    [MemberNotNullWhen(false, nameof(FailureMessage))]
    public bool IsValid => Event is not null;

    /// <summary>The verified event, or <see langword="null"/> when the delivery was refused.</summary>
    public HankoEvent? Event { get; }

    /// <summary>Why the delivery was refused; <see cref="HankoWebhookFailure.None"/> when it was verified.</summary>
    public HankoWebhookFailure Failure { get; }

    /// <summary>A short explanation of the failure that never contains the token or the payload.</summary>
    public string? FailureMessage { get; }

    /// <summary>
    /// The authentic parts of the delivery: those of <see cref="Event"/> when it was verified, and when it was refused with
    /// <see cref="HankoWebhookFailure.InvalidPayload"/> the parts of the genuine token whose <c>data</c> does not fit the SDK's
    /// models (so that a durable store can keep it for a retry after an upgrade); <see langword="null"/> for every other refusal.
    /// </summary>
    internal HankoEventParts? AuthenticParts => Event is { } verified ? verified.ToParts() : _unprocessable?.Value;

    /// <summary>Creates a successful result.</summary>
    /// <param name="event">The verified event.</param>
    /// <returns>The result.</returns>
    internal static HankoVerificationResult Success(HankoEvent @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        return new(@event, HankoWebhookFailure.None, null);
    }

    /// <summary>Creates a failed result.</summary>
    /// <param name="failure">The reason; not <see cref="HankoWebhookFailure.None"/>.</param>
    /// <param name="message">A short explanation that must not contain the token or the payload.</param>
    /// <returns>The result.</returns>
    internal static HankoVerificationResult Fail(HankoWebhookFailure failure, string message)
    {
        if (failure == HankoWebhookFailure.None)
        {
            throw new ArgumentOutOfRangeException(nameof(failure), "A failed result needs a failure reason.");
        }

        ArgumentException.ThrowIfNullOrEmpty(message);
        return new(null, failure, message);
    }

    internal static HankoVerificationResult Fail(HankoWebhookFailure failure, string message, HankoEventParts? unprocessable) =>
        unprocessable is null ? Fail(failure, message) : new(null, failure, message, unprocessable);

    /// <inheritdoc />
    public override string ToString() => IsValid ? $"Verified {Event.Name}" : $"{Failure}: {FailureMessage}";
}
