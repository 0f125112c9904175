namespace Hanko.Webhooks;

/// <summary>The outcome of <see cref="IHankoWebhookReceiver.ReceiveAsync(ReadOnlyMemory{byte}, CancellationToken)"/>.</summary>
public sealed class HankoReceiveResult
{
    internal HankoReceiveResult(HankoReceiveStatus status, HankoVerificationResult verification, HankoDispatchResult? dispatch = null)
    {
        Status = status;
        Verification = verification;
        Dispatch = dispatch;
    }

    /// <summary>What happened.</summary>
    public HankoReceiveStatus Status { get; }

    /// <summary>The verification result: the event, or why the delivery was refused.</summary>
    public HankoVerificationResult Verification { get; }

    /// <summary>The verified event, or <see langword="null"/> when <see cref="Status"/> is <see cref="HankoReceiveStatus.Refused"/> or <see cref="HankoReceiveStatus.StoredUnprocessable"/>.</summary>
    public HankoEvent? Event => Verification.Event;

    /// <summary>How the handlers did, when <see cref="Status"/> is <see cref="HankoReceiveStatus.Dispatched"/>; otherwise <see langword="null"/>.</summary>
    public HankoDispatchResult? Dispatch { get; }

    /// <inheritdoc />
    public override string ToString() => Status switch
    {
        HankoReceiveStatus.Refused => $"Refused: {Verification}",
        HankoReceiveStatus.StoredUnprocessable => $"StoredUnprocessable {Verification.AuthenticDelivery?.Name}",
        HankoReceiveStatus.Dispatched => $"Dispatched {Event!.Name} ({(Dispatch!.Succeeded ? "handlers succeeded" : $"{Dispatch.Failures.Count} handler(s) failed")})",
        _ => $"{Status} {Event!.Name}",
    };
}
