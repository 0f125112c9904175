namespace Hanko.Webhooks;

/// <summary>A delivery that durable processing gave up on, as listed by <see cref="IHankoDeadLetters"/>. Holds no payload.</summary>
public sealed class HankoDeadLetter
{
    internal HankoDeadLetter(string id, string eventName, string deliveryId, int attempts, string reason, DateTimeOffset deadLetteredAt)
    {
        Id = id;
        EventName = eventName;
        DeliveryId = deliveryId;
        Attempts = attempts;
        Reason = reason;
        DeadLetteredAt = deadLetteredAt;
    }

    /// <summary>The id to pass to <see cref="IHankoDeadLetters.RetryAsync"/> and <see cref="IHankoDeadLetters.DeleteAsync"/>.</summary>
    public string Id { get; }

    /// <summary>The event name (a label: the stored, protected entry is what is dispatched).</summary>
    public string EventName { get; }

    /// <summary>The delivery id.</summary>
    public string DeliveryId { get; }

    /// <summary>How many times the handlers ran (0 for an unprocessable delivery stored at receipt).</summary>
    public int Attempts { get; }

    /// <summary>Why it is here: the last failure, a "do not retry" exception's message, or why it could not be read or modelled.</summary>
    public string Reason { get; }

    /// <summary>When it was moved here.</summary>
    public DateTimeOffset DeadLetteredAt { get; }

    /// <inheritdoc />
    public override string ToString() => $"{EventName} {DeliveryId} after {Attempts} attempt(s): {Reason}";
}
