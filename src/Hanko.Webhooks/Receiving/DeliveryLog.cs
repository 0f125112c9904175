using Hanko.Webhooks.Internal;
using Hanko.Webhooks.Verification;
using Microsoft.Extensions.Logging;

namespace Hanko.Webhooks.Receiving;

/// <summary>
/// The one place that logs what the receiver did with a delivery, and the one table of how loud each result is. A host
/// (the ASP.NET Core add-on, a function) logs none of it again; a hand-off logs its own facts (queued, full, stored).
/// </summary>
internal static class DeliveryLog
{
    /// <summary>
    /// How loud a refusal is: <see cref="LogLevel.Error"/> for an authentic delivery the SDK cannot take (its data does not
    /// fit the models) and for keys that cannot be fetched, since both lose Hanko's events until someone acts;
    /// <see cref="LogLevel.Warning"/> for everything else (a body or token not proven to come from Hanko).
    /// </summary>
    public static LogLevel LevelOf(HankoWebhookFailure failure) => failure switch
    {
        HankoWebhookFailure.None => LogLevel.None,
        HankoWebhookFailure.InvalidPayload or HankoWebhookFailure.KeysUnavailable => LogLevel.Error,
        _ => LogLevel.Warning,
    };

    /// <summary>
    /// Logs a delivery's result once. Refusals, failed handlers and a fail-closed replay check are logged here; a duplicate
    /// is logged by the replay guard (40), a declined hand-off by the hand-off that knows why (queue full or closed, store
    /// unreachable), an ignored event by whoever filters it.
    /// </summary>
    public static void Write(ILogger logger, HankoReceiveResult result)
    {
        switch (result.Outcome)
        {
            case HankoReceiveOutcome.Refused:
                var level = LevelOf(result.Failure);
                var failure = HankoWebhookFailureNames.Of(result.Failure); // allocates nothing: the names are read once
                Log.DeliveryRefused(logger, level, result.StatusCode, failure, result.ProblemDetail ?? string.Empty);
                break;
            case HankoReceiveOutcome.Dispatched when result.Dispatch is { Succeeded: false } dispatch:
                Log.HandlersFailed(logger, dispatch.Event.Name, dispatch.Failures.Count, dispatch.HandlerCount);
                break;
            case HankoReceiveOutcome.ReplayCheckUnavailable:
                Log.ReplayCheckFailedClosed(logger, result.Event?.Name ?? string.Empty);
                break;
        }
    }
}
