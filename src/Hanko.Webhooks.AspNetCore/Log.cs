using Microsoft.Extensions.Logging;

namespace Hanko.Webhooks.AspNetCore;

/// <summary>
/// Every log message of Hanko.Webhooks.AspNetCore, with stable event ids from 100 on (the core uses 1–99). None of them
/// carries a token or a payload: only event names, paths, status codes, counts and failure reasons.
/// </summary>
internal static partial class Log
{
    /// <summary>The core's scope for a named project's delivery, around the endpoint's own log lines of it.</summary>
    public static readonly Func<ILogger, string, IDisposable?> ProjectScope = LoggerMessage.DefineScope<string>("Hanko project {HankoProject}");

    [LoggerMessage(100, LogLevel.Warning, "Refused a Hanko webhook request to {Path} with 415: the content type {ContentType} is not application/json.")]
    public static partial void UnsupportedContentType(ILogger logger, string path, string contentType);

    [LoggerMessage(101, LogLevel.Warning, "Refused a Hanko webhook request to {Path} with 413: the body is larger than {MaxBodyBytes} bytes.")]
    public static partial void BodyTooLarge(ILogger logger, string path, int maxBodyBytes);

    [LoggerMessage(102, LogLevel.Warning, "Refused a Hanko webhook request to {Path} with {StatusCode}: the body could not be read ({Reason}).")]
    public static partial void BodyUnreadable(ILogger logger, string path, int statusCode, string reason);

    [LoggerMessage(103, LogLevel.Warning, "Refused a Hanko webhook delivery to {Path} with {StatusCode}: {Failure}.")]
    public static partial void DeliveryRefused(ILogger logger, string path, int statusCode, HankoWebhookFailure failure);

    [LoggerMessage(104, LogLevel.Error, "Refused an authentic Hanko webhook delivery to {Path} with {StatusCode}: its data does not have the shape this SDK knows ({Reason}). Is Hanko newer than Hanko.Webhooks?")]
    public static partial void InvalidPayload(ILogger logger, string path, int statusCode, string reason);

    [LoggerMessage(105, LogLevel.Error, "Answered a Hanko webhook delivery to {Path} with 503: no Hanko signing keys are available (the JWKS could not be fetched).")]
    public static partial void KeysUnavailable(ILogger logger, string path);

    [LoggerMessage(106, LogLevel.Debug, "Acknowledged Hanko event {EventName} at {Path} without dispatching it: the endpoint's event filter does not include it.")]
    public static partial void EventFiltered(ILogger logger, string eventName, string path);

    [LoggerMessage(107, LogLevel.Error, "Answered Hanko event {EventName} at {Path} with 500: {FailedCount} of {HandlerCount} handler(s) failed.")]
    public static partial void HandlersFailed(ILogger logger, string eventName, string path, int failedCount, int handlerCount);

    [LoggerMessage(108, LogLevel.Debug, "Queued Hanko event {EventName} for background processing.")]
    public static partial void EventQueued(ILogger logger, string eventName);

    [LoggerMessage(109, LogLevel.Error, "Answered Hanko event {EventName} at {Path} with 503: the background queue is full ({Capacity} events). Hanko records a failed delivery and does not retry.")]
    public static partial void QueueFull(ILogger logger, string eventName, string path, int capacity);

    [LoggerMessage(110, LogLevel.Warning, "Answered Hanko event {EventName} at {Path} with 503: the host is stopping and the background queue takes no more events.")]
    public static partial void QueueClosed(ILogger logger, string eventName, string path);

    [LoggerMessage(111, LogLevel.Error, "{FailedCount} of {HandlerCount} handler(s) failed for queued Hanko event {EventName}. Hanko was already answered 202 and will not send it again.")]
    public static partial void QueuedHandlersFailed(ILogger logger, string eventName, int failedCount, int handlerCount);

    [LoggerMessage(112, LogLevel.Information, "The host is stopping; processing the {Count} queued Hanko event(s) before it stops.")]
    public static partial void QueueDraining(ILogger logger, int count);

    [LoggerMessage(113, LogLevel.Error, "The host stopped before {Count} queued Hanko event(s) were processed; they are lost (Hanko was answered 202 and does not retry). Raise HostOptions.ShutdownTimeout or make handlers faster.")]
    public static partial void QueueDrainIncomplete(ILogger logger, int count);

    [LoggerMessage(114, LogLevel.Error, "A Hanko webhook request to {Path} is being answered with a redirect ({StatusCode}). {Consequence} Register the final https URL with Hanko and keep redirects (UseHttpsRedirection, trailing-slash or login redirects) off the webhook path.")]
    public static partial void RedirectDetected(ILogger logger, string path, int statusCode, string consequence);

    [LoggerMessage(115, LogLevel.Warning, "The Hanko webhook endpoint {Pattern} is reachable over plain http ({Address}) while HTTPS redirection may apply. A redirect in front of the webhook path loses Hanko events or leaves them to another URL (see event id 114); give Hanko the https callback URL and keep redirects off the webhook path.")]
    public static partial void HttpReachableWithRedirection(ILogger logger, string pattern, string address);

    [LoggerMessage(116, LogLevel.Error, "Processing queued Hanko event {EventName} failed unexpectedly.")]
    public static partial void QueuedDispatchFailed(ILogger logger, Exception exception, string eventName);

    [LoggerMessage(117, LogLevel.Warning, "Hanko event {EventName} reached the endpoint {Pattern}, whose event filter does not include it: it was answered 200 and not dispatched, so Hanko counts it delivered and will not send it again. Add it to the endpoint's filter, or remove it from the subscription of the Hanko webhook that posts here. Later deliveries of this event to this endpoint are logged at Debug (event id 106).")]
    public static partial void FirstEventFiltered(ILogger logger, string eventName, string pattern);

    [LoggerMessage(118, LogLevel.Error, "Queued Hanko event {EventName} could not be processed: {Reason}. Hanko was already answered 202 and will not send it again.")]
    public static partial void QueuedUnprocessable(ILogger logger, string eventName, string reason);
}
