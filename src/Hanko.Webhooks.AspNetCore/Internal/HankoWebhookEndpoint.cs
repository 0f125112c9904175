using System.Buffers;
using Hanko.Webhooks.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Hanko.Webhooks.AspNetCore.Internal;

/// <summary>
/// The request delegate of one mapped path: reads the request, lets the core verify and dispatch, and turns the outcome
/// into a status code (the table is on <c>MapHankoWebhooks</c>). It never answers with a 3xx.
/// </summary>
internal sealed class HankoWebhookEndpoint
{
    private readonly string _pattern;
    private readonly int _maxBodyBytes;
    private readonly IHankoWebhookReceiver _receiver;
    private readonly HankoReceiveOptions _receiveOptions;
    private readonly HankoEventQueue? _queue;
    private readonly ILogger _logger;

    public HankoWebhookEndpoint(string pattern, HankoEventFilter filter, IServiceProvider services)
    {
        _pattern = pattern;
        _maxBodyBytes = services.GetRequiredService<IOptions<HankoWebhookOptions>>().Value.MaxBodyBytes; // validated at start; read once
        _receiver = services.GetRequiredService<IHankoWebhookReceiver>();
        _queue = services.GetService<HankoEventQueue>();
        // The filter applies before the replay claim, so that a token this path ignores is still processed by a path that accepts it;
        // in background mode the claim is taken when the event is queued.
        _receiveOptions = new HankoReceiveOptions { Accept = filter.IsEmpty ? null : filter.Accepts, HandOff = _queue is null ? null : _queue.TryEnqueue };
        _logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Hanko.Webhooks.AspNetCore");
    }

    /// <summary>The status of a refused delivery.</summary>
    public static int StatusFor(HankoWebhookFailure failure) => failure switch
    {
        HankoWebhookFailure.MalformedBody => StatusCodes.Status400BadRequest,
        HankoWebhookFailure.BodyTooLarge => StatusCodes.Status413PayloadTooLarge,
        HankoWebhookFailure.InvalidPayload => StatusCodes.Status422UnprocessableEntity,
        HankoWebhookFailure.KeysUnavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status401Unauthorized, // every token failure: the delivery is not proven to come from Hanko
    };

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var path = request.Path.Value ?? _pattern;
        var aborted = context.RequestAborted;

        if (!IsJson(request.ContentType))
        {
            Log.UnsupportedContentType(_logger, path, request.ContentType ?? "(none)");
            HankoTelemetry.RecordRefusal(EndpointTelemetry.UnsupportedMediaType);
            await ProblemResponse.WriteAsync(response, StatusCodes.Status415UnsupportedMediaType, "Unsupported Media Type", "Hanko webhooks are posted as application/json.").ConfigureAwait(false);
            return;
        }

        var maxBodyBytes = _maxBodyBytes;
        if (request.ContentLength > maxBodyBytes)
        {
            await BodyTooLargeAsync(response, path, maxBodyBytes).ConfigureAwait(false);
            return;
        }

        byte[]? buffer = null;
        try
        {
            int length;
            try
            {
                (buffer, length) = await ReadBodyAsync(request, maxBodyBytes, aborted).ConfigureAwait(false);
            }
            catch (BadHttpRequestException ex)
            {
                // The server refused the body itself (its own size limit, a broken chunked encoding, a timeout).
                Log.BodyUnreadable(_logger, path, ex.StatusCode, ex.Message);
                HankoTelemetry.RecordRefusal(ex.StatusCode == 413 ? HankoWebhookFailure.BodyTooLarge : HankoWebhookFailure.MalformedBody);
                await ProblemResponse.WriteAsync(response, ex.StatusCode, ex.StatusCode == 413 ? "BodyTooLarge" : "MalformedBody", "The request body could not be read.").ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException) when (aborted.IsCancellationRequested)
            {
                return; // the caller has gone
            }

            if (length > maxBodyBytes)
            {
                await BodyTooLargeAsync(response, path, maxBodyBytes).ConfigureAwait(false);
                return;
            }

            HankoReceiveResult result;
            try
            {
                result = await _receiver.ReceiveAsync(buffer.AsMemory(0, length), _receiveOptions, aborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (aborted.IsCancellationRequested)
            {
                return; // the caller has gone
            }

            await AnswerAsync(response, path, result).ConfigureAwait(false);
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
            }
        }
    }

    private async Task AnswerAsync(HttpResponse response, string path, HankoReceiveResult result)
    {
        var @event = result.Event;
        switch (result.Status)
        {
            case HankoReceiveStatus.Refused:
                await RefuseAsync(response, path, result.Verification).ConfigureAwait(false);
                return;
            case HankoReceiveStatus.Ignored:
                Log.EventFiltered(_logger, @event!.Name, path);
                response.StatusCode = StatusCodes.Status200OK;
                return;
            case HankoReceiveStatus.Duplicate:
                response.StatusCode = StatusCodes.Status200OK; // already received (logged by the core): acknowledged, not run again
                return;
            case HankoReceiveStatus.HandedOff:
                Log.EventQueued(_logger, @event!.Name);
                response.StatusCode = StatusCodes.Status202Accepted; // accepted for later: nothing has run yet
                return;
            case HankoReceiveStatus.HandOffDeclined when _queue is { IsCompleted: true }:
                Log.QueueClosed(_logger, @event!.Name, path);
                HankoTelemetry.RecordUndispatched(@event.Name, HankoTelemetry.Outcomes.Unavailable);
                await ProblemResponse.WriteAsync(response, StatusCodes.Status503ServiceUnavailable, "QueueClosed", "The receiver is shutting down.").ConfigureAwait(false);
                return;
            case HankoReceiveStatus.HandOffDeclined when _queue is null:
                // The durable store could not be written (logged by it): nothing was stored, so Hanko must see a failure.
                HankoTelemetry.RecordUndispatched(@event?.Name ?? result.Verification.AuthenticDelivery?.Name ?? string.Empty, HankoTelemetry.Outcomes.Unavailable);
                await ProblemResponse.WriteAsync(response, StatusCodes.Status503ServiceUnavailable, "StoreUnavailable", "The delivery could not be stored.").ConfigureAwait(false);
                return;
            case HankoReceiveStatus.StoredUnprocessable:
                response.StatusCode = StatusCodes.Status202Accepted; // authentic; stored as a dead letter (logged by the store)
                return;
            case HankoReceiveStatus.HandOffDeclined:
                Log.QueueFull(_logger, @event!.Name, path, _queue?.Capacity ?? 0);
                HankoTelemetry.RecordUndispatched(@event.Name, HankoTelemetry.Outcomes.Unavailable);
                await ProblemResponse.WriteAsync(response, StatusCodes.Status503ServiceUnavailable, "QueueFull", "The receiver's queue is full.").ConfigureAwait(false);
                return;
            case HankoReceiveStatus.ReplayCheckUnavailable:
                await ProblemResponse.WriteAsync(response, StatusCodes.Status503ServiceUnavailable, "ReplayCheckUnavailable", "The replay cache is unavailable.").ConfigureAwait(false);
                return;
        }

        var dispatch = result.Dispatch!;
        if (dispatch.Succeeded)
        {
            response.StatusCode = StatusCodes.Status200OK; // processing has finished (also when no handler exists)
            return;
        }

        // Each failure is already logged with its exception by the dispatcher; exception messages stay out of the response.
        Log.HandlersFailed(_logger, @event!.Name, path, dispatch.Failures.Count, dispatch.HandlerCount);
        await ProblemResponse.WriteAsync(
            response,
            StatusCodes.Status500InternalServerError,
            "HandlerFailed",
            $"{dispatch.Failures.Count} of {dispatch.HandlerCount} handler(s) failed for {@event.Name}.").ConfigureAwait(false);
    }

    private Task RefuseAsync(HttpResponse response, string path, HankoVerificationResult result)
    {
        var status = StatusFor(result.Failure);
        var message = result.FailureMessage ?? result.Failure.ToString();
        switch (result.Failure)
        {
            case HankoWebhookFailure.InvalidPayload:
                Log.InvalidPayload(_logger, path, status, message);
                break;
            case HankoWebhookFailure.KeysUnavailable:
                Log.KeysUnavailable(_logger, path);
                break;
            default:
                Log.DeliveryRefused(_logger, path, status, result.Failure);
                break;
        }

        return ProblemResponse.WriteAsync(response, status, result.Failure.ToString(), message);
    }

    private Task BodyTooLargeAsync(HttpResponse response, string path, int maxBodyBytes)
    {
        Log.BodyTooLarge(_logger, path, maxBodyBytes);
        HankoTelemetry.RecordRefusal(HankoWebhookFailure.BodyTooLarge);
        return ProblemResponse.WriteAsync(
            response,
            StatusCodes.Status413PayloadTooLarge,
            nameof(HankoWebhookFailure.BodyTooLarge),
            $"The body is larger than {maxBodyBytes} bytes.");
    }

    /// <summary>
    /// Reads at most <paramref name="maxBodyBytes"/> + 1 bytes into a pooled buffer, so that a chunked body (no
    /// Content-Length) larger than the limit is refused without being read to its end.
    /// </summary>
    private static async Task<(byte[] Buffer, int Length)> ReadBodyAsync(HttpRequest request, int maxBodyBytes, CancellationToken cancellationToken)
    {
        var limit = maxBodyBytes + 1;
        var initial = request.ContentLength is { } declared ? (int)Math.Min(declared + 1, limit) : Math.Min(16 * 1024, limit);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initial, 1));
        var length = 0;
        try
        {
            while (length < limit)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, limit));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
                    buffer = larger;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(length, Math.Min(buffer.Length, limit) - length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
            }

            return (buffer, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
            throw;
        }
    }

    /// <summary><c>application/json</c>, with or without parameters; a charset, if given, must be UTF-8.</summary>
    private static bool IsJson(string? contentType)
    {
        if (contentType is null || !MediaTypeHeaderValue.TryParse(contentType, out var media))
        {
            return false;
        }

        if (!media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var charset = media.Charset;
        return !charset.HasValue || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase);
    }
}
