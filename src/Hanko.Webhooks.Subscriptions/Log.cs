using Microsoft.Extensions.Logging;

namespace Hanko.Webhooks.Subscriptions;

/// <summary>
/// The log messages of subscription management (category <c>Hanko.Webhooks.Subscriptions</c>), event ids 50–99, which the core (ids 1–49) leaves to it (the catch-up: 72–83). They carry
/// hook ids, subscription names, counts, times, status codes and callback URLs without their query string; never the API
/// key or a request header.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(50, LogLevel.Debug, "Hanko Admin API {Method} {Path} answered {StatusCode}.", EventName = "AdminApiCall")]
    public static partial void AdminApiCall(ILogger logger, string method, string path, int statusCode);

    [LoggerMessage(51, LogLevel.Information, "The registered handlers need the Hanko webhook subscriptions: {Subscriptions}.", EventName = "SubscriptionPlan")]
    public static partial void SubscriptionPlan(ILogger logger, string subscriptions);

    [LoggerMessage(52, LogLevel.Information, "Created the Hanko webhook {HookId} for {Callback} with the subscriptions {Subscriptions}.", EventName = "HookCreated")]
    public static partial void HookCreated(ILogger logger, Guid hookId, string callback, string subscriptions);

    [LoggerMessage(53, LogLevel.Information, "Updated the subscriptions of the Hanko webhook {HookId} for {Callback}: added {Added}, removed {Removed}.", EventName = "HookUpdated")]
    public static partial void HookUpdated(ILogger logger, Guid hookId, string callback, string added, string removed);

    [LoggerMessage(54, LogLevel.Warning, "Re-enabled the Hanko webhook {HookId} for {Callback}, which Hanko had disabled after {Failures} failed deliveries. Events sent while it was disabled are lost.", EventName = "HookReenabled")]
    public static partial void HookReenabled(ILogger logger, Guid hookId, string callback, int failures);

    [LoggerMessage(55, LogLevel.Information, "The Hanko webhook {HookId} for {Callback} is enabled and covers the handlers ({Subscriptions}); left unchanged.", EventName = "HookUnchanged")]
    public static partial void HookUnchanged(ILogger logger, Guid hookId, string callback, string subscriptions);

    [LoggerMessage(56, LogLevel.Warning, "Deleted the Hanko webhook {HookId}, a second hook for {Callback} (instances starting together each created one); kept {KeptHookId}, the oldest, with the subscriptions of both.", EventName = "DuplicateHookDeleted")]
    public static partial void DuplicateHookDeleted(ILogger logger, Guid hookId, string callback, Guid keptHookId);

    [LoggerMessage(57, LogLevel.Information, "Hanko's configuration file has a hook for {Callback}; such hooks are never disabled and cannot be changed through the Admin API, so no database hook is made.", EventName = "ConfigHookFound")]
    public static partial void ConfigHookFound(ILogger logger, string callback);

    [LoggerMessage(58, LogLevel.Warning, "The hook for {Callback} in Hanko's configuration file lacks the subscriptions {Missing}; handlers of those events receive nothing. Add them to webhooks.hooks in Hanko's configuration.", EventName = "ConfigHookMissingSubscriptions")]
    public static partial void ConfigHookMissingSubscriptions(ILogger logger, string callback, string missing);

    [LoggerMessage(59, LogLevel.Error, "Could not ensure the Hanko webhook for {Callback}: {Reason}", EventName = "EnsureFailed")]
    public static partial void EnsureFailed(ILogger logger, string callback, string reason);

    [LoggerMessage(60, LogLevel.Error, "Hanko has disabled the webhook {HookId} for {Callback} ({Failures} failed deliveries in a row, expires at {ExpiresAt:O}). Hanko sends it nothing until it is re-enabled, and keeps no history: those events are lost.", EventName = "HookDisabled")]
    public static partial void HookDisabled(ILogger logger, Guid hookId, string callback, int failures, DateTimeOffset expiresAt);

    [LoggerMessage(61, LogLevel.Error, "No Hanko webhook delivers to {Callback}: the handlers receive nothing.", EventName = "HookMissing")]
    public static partial void HookMissing(ILogger logger, string callback);

    [LoggerMessage(62, LogLevel.Warning, "The Hanko webhook {HookId} for {Callback} has {Failures} failed deliveries in a row; Hanko disables it after the 6th.", EventName = "HookFailing")]
    public static partial void HookFailing(ILogger logger, Guid hookId, string callback, int failures);

    [LoggerMessage(63, LogLevel.Warning, "The Hanko webhook {HookId} for {Callback} expires at {ExpiresAt:O} (no successful delivery for a while); with allow_time_expiration Hanko disables it at the first event after that.", EventName = "HookExpiring")]
    public static partial void HookExpiring(ILogger logger, Guid hookId, string callback, DateTimeOffset expiresAt);

    [LoggerMessage(64, LogLevel.Warning, "Repairing the Hanko webhook for {Callback} automatically (AutoReenable); the next automatic repair is possible after {NextAllowedAt:O}.", EventName = "AutoRepair")]
    public static partial void AutoRepair(ILogger logger, string callback, DateTimeOffset nextAllowedAt);

    [LoggerMessage(65, LogLevel.Warning, "Not repairing the Hanko webhook for {Callback} yet: the last automatic repair was at {LastRepairAt:O}; the next is possible after {NextAllowedAt:O}.", EventName = "AutoRepairSuppressed")]
    public static partial void AutoRepairSuppressed(ILogger logger, string callback, DateTimeOffset lastRepairAt, DateTimeOffset nextAllowedAt);

    [LoggerMessage(66, LogLevel.Warning, "Could not check the Hanko webhook for {Callback}: {Reason}", EventName = "WatchFailed")]
    public static partial void WatchFailed(ILogger logger, string callback, string reason);

    [LoggerMessage(67, LogLevel.Error, "Hanko answered the update of webhook {HookId} but did not store its subscriptions (it still has {Stored}, not {Sent}); older Hanko versions had this bug (#2355). Update Hanko, or set the events in the console.", EventName = "SubscriptionsNotStored")]
    public static partial void SubscriptionsNotStored(ILogger logger, Guid hookId, string stored, string sent);

    [LoggerMessage(68, LogLevel.Warning, "The Hanko webhook {HookId} for {Callback} lacks the subscriptions {Missing}; handlers of those events receive nothing.", EventName = "SubscriptionsMissing")]
    public static partial void SubscriptionsMissing(ILogger logger, Guid hookId, string callback, string missing);

    [LoggerMessage(69, LogLevel.Information, "The Hanko webhook {HookId} for {Callback} is enabled again.", EventName = "HookRecovered")]
    public static partial void HookRecovered(ILogger logger, Guid hookId, string callback);

    [LoggerMessage(70, LogLevel.Warning, "Not ensuring the Hanko webhook for {Callback}: no Hanko webhook endpoint is mapped for {Project}, so Hanko would post to a URL that answers 404. Call {MapCall} after builder.Build().", EventName = "NotEnsuredNoEndpoint")]
    public static partial void NotEnsuredNoEndpoint(ILogger logger, string callback, string project, string mapCall);

    [LoggerMessage(71, LogLevel.Warning, "This Hanko server does not know the event name {Event} (it refused a subscription to it for {Callback}); subscribing to {Instead} instead, which delivers {Event} too once the server is updated to send it (when there is nothing to subscribe instead, restart the application after that update).", EventName = "SubscriptionRefused")]
    public static partial void SubscriptionRefused(ILogger logger, string @event, string callback, string instead);

    [LoggerMessage(72, LogLevel.Information, "Catching up what Hanko could not deliver from {WindowStart:O} to {WindowEnd:O} (both exclusive).", EventName = "CatchUpStarted")]
    public static partial void CatchUpStarted(ILogger logger, DateTimeOffset windowStart, DateTimeOffset windowEnd);

    [LoggerMessage(73, LogLevel.Information, "Caught up {WindowStart:O} to {WindowEnd:O}: {AuditLogEntries} audit log entries, {UsersFound} user(s) found, {HandedOver} handed over, {AlreadyHandedOver} handed over before, {Failed} not handed over; {Requests} Admin API requests in {Elapsed}.", EventName = "CatchUpCompleted")]
    public static partial void CatchUpCompleted(ILogger logger, DateTimeOffset windowStart, DateTimeOffset windowEnd, int auditLogEntries, int usersFound, int handedOver, int alreadyHandedOver, int failed, int requests, TimeSpan elapsed);

    [LoggerMessage(74, LogLevel.Error, "Catching up {WindowStart:O} to {WindowEnd:O} stopped {Where}: {Reason} Run the same window again; users already handed over are not handed over twice.", EventName = "CatchUpFailed")]
    public static partial void CatchUpFailed(ILogger logger, DateTimeOffset windowStart, DateTimeOffset windowEnd, string where, string reason);

    [LoggerMessage(75, LogLevel.Warning, "Hanko's audit log has no entry from {WindowStart:O} to {WindowEnd:O}, although {Created} user(s) were created then: a self-hosted Hanko stores audit entries only with audit_log.storage.enabled: true. Only the users created were caught up; changes to other users are not.", EventName = "AuditLogEmpty")]
    public static partial void AuditLogEmpty(ILogger logger, DateTimeOffset windowStart, DateTimeOffset windowEnd, int created);

    [LoggerMessage(76, LogLevel.Warning, "The catch-up did not hand over the user {UserId} ({StatusCode}: {Reason}); run the same window again to hand it over.", EventName = "CatchUpUserNotHandedOver")]
    public static partial void CatchUpUserNotHandedOver(ILogger logger, Guid userId, int statusCode, string reason);

    [LoggerMessage(77, LogLevel.Warning, "The Hanko webhook for {Callback} delivers again after refusing or missing deliveries since {LastAccepted:O} (its last accepted delivery); catching up {WindowStart:O} to {WindowEnd:O}.", EventName = "CatchUpAfterRefusals")]
    public static partial void CatchUpAfterRefusals(ILogger logger, string callback, DateTimeOffset windowStart, DateTimeOffset windowEnd, DateTimeOffset lastAccepted);

    [LoggerMessage(78, LogLevel.Warning, "Catch-up across restarts is off for {Project}: {Reason} Events Hanko sends while no instance runs are lost; catch them up with IHankoCatchUp.RunAsync.", EventName = "RestartCatchUpOff")]
    public static partial void RestartCatchUpOff(ILogger logger, string project, string reason);

    [LoggerMessage(79, LogLevel.Warning, "No instance received Hanko's webhooks from {LastHeartbeat:O} (the last heartbeat in the shared store) until this start (or until signing keys were held again); catching up {WindowStart:O} to {WindowEnd:O}.", EventName = "RestartCatchUpDue")]
    public static partial void RestartCatchUpDue(ILogger logger, DateTimeOffset lastHeartbeat, DateTimeOffset windowStart, DateTimeOffset windowEnd);

    [LoggerMessage(80, LogLevel.Information, "No heartbeat of an earlier run is in the shared store (the first start, or no instance ran for more than 30 days): nothing to catch up from before this start. From now on a heartbeat is recorded every {Interval}.", EventName = "RestartCatchUpFirstStart")]
    public static partial void RestartCatchUpFirstStart(ILogger logger, TimeSpan interval);

    [LoggerMessage(81, LogLevel.Information, "The catch-up of {WindowStart:O} to {WindowEnd:O} stopped with the application; the next start (or another instance) resumes it, and users already handed over are not handed over twice.", EventName = "RestartCatchUpStopped")]
    public static partial void RestartCatchUpStopped(ILogger logger, DateTimeOffset windowStart, DateTimeOffset windowEnd);

    [LoggerMessage(82, LogLevel.Warning, "The shared store of the catch-up across restarts failed ({Reason}); trying again in {Interval}.", EventName = "RestartCatchUpStoreFailed")]
    public static partial void RestartCatchUpStoreFailed(ILogger logger, string reason, TimeSpan interval);

    [LoggerMessage(83, LogLevel.Warning, "No Hanko signing keys are held ({Check} reports {KeyCount} keys), so deliveries are refused: the heartbeat of the catch-up across restarts waits until keys are fetched, and that time is then caught up.", EventName = "RestartCatchUpNoKeys")]
    public static partial void RestartCatchUpNoKeys(ILogger logger, string check, int keyCount);
}
