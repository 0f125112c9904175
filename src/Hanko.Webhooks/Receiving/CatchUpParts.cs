using System.Diagnostics.CodeAnalysis;
using Hanko.Webhooks.Verification;

namespace Hanko.Webhooks.Receiving;

/// <summary>
/// The parts of a <see cref="UserCatchUpEvent"/> (name, data, delivery id, claim lifetime): the one writer both the SDK's
/// receiver and the default <see cref="IHankoWebhookReceiver.ReceiveCatchUpAsync"/> of any other receiver use.
/// </summary>
internal static class CatchUpParts
{
    /// <summary>How long a catch-up's claim is kept: the same window run again within it hands nobody over twice.</summary>
    public static readonly TimeSpan ClaimLifetime = TimeSpan.FromDays(7);

    /// <summary>Builds the parts; <see langword="false"/> with the reason when <paramref name="user"/> is not one JSON object.</summary>
    /// <exception cref="ArgumentException">The window is empty.</exception>
    public static bool TryCreate(
        string? project,
        Guid userId,
        ReadOnlySpan<byte> user,
        IReadOnlyList<string> eventNames,
        IReadOnlyList<string> auditLogTypes,
        DateTimeOffset windowStart,
        DateTimeOffset windowEnd,
        DateTimeOffset now,
        out HankoEventParts parts,
        [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(eventNames);
        ArgumentNullException.ThrowIfNull(auditLogTypes);
        if (windowEnd <= windowStart)
        {
            throw new ArgumentException($"The window ends ({windowEnd:O}) before it starts ({windowStart:O}).", nameof(windowEnd));
        }

        byte[] data;
        try
        {
            data = UserCatchUpData.Write(userId, user, eventNames, auditLogTypes, windowStart, windowEnd);
        }
        catch (System.Text.Json.JsonException ex)
        {
            parts = default;
            error = $"The user {userId} from the Admin API is not one JSON object ({ex.Message}).";
            return false;
        }

        parts = new HankoEventParts(HankoEventNames.UserCatchUp, data)
        {
            IssuedAt = now,
            ExpiresAt = now + ClaimLifetime,
            DeliveryId = DeliveryIds.ForCatchUp(project, userId, windowStart, windowEnd),
            Project = project,
        };
        error = null;
        return true;
    }
}
