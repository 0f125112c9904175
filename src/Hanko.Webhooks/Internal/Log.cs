using Microsoft.Extensions.Logging;

namespace Hanko.Webhooks.Internal;

/// <summary>
/// Every log message of Hanko.Webhooks, with stable event ids. None of them carries a token, a payload, an OTP code
/// or metadata: only event names, key ids, URLs of the JWKS, reasons and handler type names.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Fetched {KeyCount} Hanko signing key(s) from {JwksUri}{ForProject}; next refresh in {RefreshIn}.")]
    public static partial void JwksFetched(ILogger logger, int keyCount, Uri jwksUri, string forProject, TimeSpan refreshIn);

    [LoggerMessage(2, LogLevel.Error, "Could not fetch the Hanko JWKS from {JwksUri}{ForProject}: {Reason}. No keys are held, so deliveries are refused until a fetch succeeds; the next attempt may start at {NextAttempt:O}.")]
    public static partial void JwksFetchFailed(ILogger logger, Uri jwksUri, string forProject, string reason, DateTimeOffset nextAttempt);

    [LoggerMessage(3, LogLevel.Warning, "Could not refresh the Hanko JWKS from {JwksUri}{ForProject}: {Reason}. Still verifying with the {KeyCount} key(s) fetched before.")]
    public static partial void JwksFetchFailedUsingCachedKeys(ILogger logger, Uri jwksUri, string forProject, string reason, int keyCount);

    [LoggerMessage(4, LogLevel.Warning, "Skipped key {KeyId} of the Hanko JWKS: {Reason}.")]
    public static partial void JwksKeySkipped(ILogger logger, string keyId, string reason);

    [LoggerMessage(5, LogLevel.Information, "A delivery names the unknown key {KeyId}; fetching the Hanko JWKS again.")]
    public static partial void JwksUnknownKey(ILogger logger, string keyId);

    [LoggerMessage(6, LogLevel.Warning, "A delivery names the unknown key {KeyId}, but the JWKS may not be fetched again for {Wait} (JwksRefetchCooldown), longer than a delivery can wait; it is refused. Lower Hanko:Webhooks:JwksRefetchCooldown to a few seconds so that a key rotation loses nothing.")]
    public static partial void JwksRefetchSuppressed(ILogger logger, string keyId, TimeSpan wait);

    [LoggerMessage(7, LogLevel.Debug, "A delivery names the unknown key {KeyId}; it waits {Wait} for the next allowed JWKS fetch.")]
    public static partial void JwksWaitingForFetch(ILogger logger, string keyId, TimeSpan wait);

    [LoggerMessage(8, LogLevel.Debug, "A delivery names the key {KeyId}, which a JWKS fetch made after it was first seen did not contain; refused without fetching again.")]
    public static partial void JwksKnownAbsentKey(ILogger logger, string keyId);

    [LoggerMessage(9, LogLevel.Warning, "{MaxWaiters} deliveries already wait for the Hanko JWKS to be fetched again; another delivery with an unknown key is answered 503 at once.")]
    public static partial void JwksTooManyWaiters(ILogger logger, int maxWaiters);

    [LoggerMessage(10, LogLevel.Warning, "{Setting} is not set, so a token Hanko signed for any audience is accepted. Set it to your Hanko project's session audience (or WebAuthn relying-party id).")]
    public static partial void NoAudience(ILogger logger, string setting);

    [LoggerMessage(11, LogLevel.Warning, "The Hanko JWKS is read over plain HTTP from the loopback address {JwksUri}. That is fine for local development and tests only.")]
    public static partial void InsecureLoopbackJwks(ILogger logger, Uri jwksUri);

    [LoggerMessage(12, LogLevel.Warning, "The Hanko JWKS is read over plain HTTP from {JwksUri} because RequireHttpsJwks is off. Anyone on the network path can then forge webhooks.")]
    public static partial void InsecureJwks(ILogger logger, Uri jwksUri);

    [LoggerMessage(13, LogLevel.Warning, "The Hanko JWKS{ForProject} could not be fetched while the host started; the next attempt comes soon (250 ms, doubling after each failure up to the refetch cooldown), and deliveries wait for it.")]
    public static partial void WarmUpFailed(ILogger logger, string forProject);

    /// <summary>The one record of a refused delivery; its level comes from <see cref="Receiving.DeliveryLog.LevelOf"/>. Replaces 20 (Debug) and the add-on's 100–105.</summary>
    [LoggerMessage(EventId = 23, Message = "Refused a Hanko webhook delivery with {StatusCode}: {Failure}: {Reason}")]
    public static partial void DeliveryRefused(ILogger logger, LogLevel level, int statusCode, string failure, string reason);

    [LoggerMessage(24, LogLevel.Error, "Answered Hanko event {EventName} with 500: {FailedCount} of {HandlerCount} handler(s) failed.")]
    public static partial void HandlersFailed(ILogger logger, string eventName, int failedCount, int handlerCount);

    [LoggerMessage(21, LogLevel.Debug, "Verified Hanko webhook event {EventName}.")]
    public static partial void DeliveryVerified(ILogger logger, string eventName);

    [LoggerMessage(30, LogLevel.Error, "Handler {HandlerType} failed for Hanko event {EventName}.")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string handlerType, string eventName);

    [LoggerMessage(32, LogLevel.Warning, "Disposing the DI scope of Hanko event {EventName} failed after its handlers ran.")]
    public static partial void ScopeDisposeFailed(ILogger logger, Exception exception, string eventName);

    [LoggerMessage(31, LogLevel.Debug, "No handler is registered for Hanko event {EventName}; it is acknowledged.")]
    public static partial void NoHandler(ILogger logger, string eventName);

    [LoggerMessage(14, LogLevel.Warning, "Handlers are registered for {Project}, but no Hanko webhook endpoint is mapped for it: Hanko's deliveries get 404, six in a row disable the hook, and the handlers receive nothing. Call {MapCall} after builder.Build().", EventName = "NoEndpointMapped")]
    public static partial void NoEndpointMapped(ILogger logger, string project, string mapCall);

    [LoggerMessage(15, LogLevel.Warning, "{Setting} is set but no longer read: 1.0 fixed it ({Fixed}). Remove it from the configuration.", EventName = "SettingIgnored")]
    public static partial void SettingIgnored(ILogger logger, string setting, string @fixed);
}
