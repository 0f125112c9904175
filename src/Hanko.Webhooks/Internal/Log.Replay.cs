using Microsoft.Extensions.Logging;

namespace Hanko.Webhooks.Internal;

/// <summary>The replay guard's messages (ids 40–49), in their own file so that they merge cleanly with other additions to <c>Log.cs</c>.</summary>
internal static partial class Log
{
    [LoggerMessage(40, LogLevel.Information, "Acknowledged a repeated delivery of Hanko event {EventName} (delivery {DeliveryId}) without dispatching it again.")]
    public static partial void DuplicateDelivery(ILogger logger, string eventName, string deliveryId);

    [LoggerMessage(41, LogLevel.Warning, "The replay cache failed for Hanko event {EventName} ({Reason}); the delivery could not be checked for a repeat.")]
    public static partial void ReplayCacheFailed(ILogger logger, Exception exception, string eventName, string reason);

    [LoggerMessage(42, LogLevel.Error, "Did not dispatch Hanko event {EventName}: the replay cache failed and ReplayCacheFailureMode is FailClosed. Hanko records a failed delivery and does not retry it.")]
    public static partial void ReplayCheckFailedClosed(ILogger logger, string eventName);

    [LoggerMessage(43, LogLevel.Warning, "Could not release a replay claim in the cache; a later copy of that delivery will be taken for a duplicate until the token expires.")]
    public static partial void ReplayReleaseFailed(ILogger logger, Exception exception);

    [LoggerMessage(44, LogLevel.Debug, "Released a replay claim, so that another copy of the delivery can be processed.")]
    public static partial void ClaimReleased(ILogger logger);
}
