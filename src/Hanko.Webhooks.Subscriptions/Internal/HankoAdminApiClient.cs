using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Hanko.Webhooks.Verification;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Hanko.Webhooks.Subscriptions;

/// <summary>
/// <see cref="IHankoWebhookSubscriptions"/> over HTTP, to Hanko's semantics (<c>backend/handler/webhook.go</c>): 201 on
/// create, 204 on delete, 404 for an unknown id, <c>{"code","message"}</c> bodies for errors.
/// </summary>
internal sealed partial class HankoAdminApiClient : IHankoWebhookSubscriptions
{
    /// <summary>
    /// The largest answer read. The largest real one is the hook list, which Hanko does not page: a hook subscribed to every
    /// event name is about 2.3 KB, so this holds over a hundred such hooks (or several hundred with a few names each). An
    /// answer larger than that is not Hanko's, and reading it whole would let whoever answers fill the process's memory.
    /// </summary>
    internal const int MaxAnswerBytes = 256 * 1024;

    /// <summary>Error bodies are read up to this size; anything longer is not Hanko's <c>{"code","message"}</c>.</summary>
    private const int MaxErrorBodyBytes = 16 * 1024;

    private const string NoRedirects =
        "The SDK follows no redirect (the request carries the API key, and the answer would not be Hanko's): set AdminApiUrl to the final address.";

    private readonly IHttpClientFactory _clients;
    private readonly HankoWebhookSubscriptionOptions _options;
    private readonly Uri _baseAddress;
    private readonly ILogger _logger;

    public HankoAdminApiClient(IHttpClientFactory clients, IOptions<HankoWebhookSubscriptionOptions> options, ILoggerFactory loggers)
    {
        _clients = clients;
        _options = options.Value;
        _baseAddress = _options.AdminApiBaseAddress ?? throw new InvalidOperationException(
            $"No Hanko Admin API is configured: set {HankoWebhookSubscriptionOptions.SectionName}:AdminApiUrl or a tenant id.");
        _logger = loggers.CreateLogger("Hanko.Webhooks.Subscriptions");
    }

    public async Task<HankoWebhookSubscriptionList> ListAsync(CancellationToken cancellationToken = default)
    {
        var list = await SendAsync(HttpMethod.Get, "webhooks", null, HankoAdminJsonContext.Default.HankoWebhookSubscriptionList, HttpStatusCode.OK, null, cancellationToken).ConfigureAwait(false);

        // "config": null when the configuration file has no hooks; "database" is always an array, but be lenient.
        return list!.Database is null || list.Config is null
            ? new HankoWebhookSubscriptionList { Database = list.Database ?? [], Config = list.Config ?? [] }
            : list;
    }

    public Task<HankoWebhookSubscription?> GetAsync(Guid id, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, PathOf(id), null, HankoAdminJsonContext.Default.HankoWebhookSubscription, HttpStatusCode.OK, null, cancellationToken, notFoundIsNull: true);

    public async Task<HankoWebhookSubscription> CreateAsync(string callback, IEnumerable<string> events, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(callback);
        ArgumentNullException.ThrowIfNull(events);
        var names = events.ToArray();
        var body = JsonContent.Create(new CreateWebhookRequest { Callback = callback, Events = names }, HankoAdminJsonContext.Default.CreateWebhookRequest);
        return (await SendAsync(HttpMethod.Post, "webhooks", body, HankoAdminJsonContext.Default.HankoWebhookSubscription, HttpStatusCode.Created, names, cancellationToken).ConfigureAwait(false))!;
    }

    public async Task<HankoWebhookSubscription> UpdateAsync(Guid id, string callback, IEnumerable<string> events, bool enabled = true, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(callback);
        ArgumentNullException.ThrowIfNull(events);
        var names = events.ToArray();
        var body = JsonContent.Create(new UpdateWebhookRequest { Callback = callback, Events = names, Enabled = enabled }, HankoAdminJsonContext.Default.UpdateWebhookRequest);
        return (await SendAsync(HttpMethod.Put, PathOf(id), body, HankoAdminJsonContext.Default.HankoWebhookSubscription, HttpStatusCode.OK, names, cancellationToken).ConfigureAwait(false))!;
    }

    public async Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var found = await SendAsync<object>(HttpMethod.Delete, PathOf(id), null, null, HttpStatusCode.NoContent, null, cancellationToken, notFoundIsNull: true).ConfigureAwait(false);
        return found is not null;
    }

    // Hanko validates ids as lower-case UUIDv4 ("D" format is lower case).
    private static string PathOf(Guid id) => "webhooks/" + id.ToString("D", CultureInfo.InvariantCulture);

    private static readonly object Found = new();

    private Task<T?> SendAsync<T>(
        HttpMethod method,
        string path,
        HttpContent? body,
        JsonTypeInfo<T>? responseType,
        HttpStatusCode expected,
        string[]? sentEvents,
        CancellationToken cancellationToken,
        bool notFoundIsNull = false)
        where T : class =>
        ExchangeAsync<T>(
            method,
            path,
            body,
            expected,
            sentEvents,
            notFoundIsNull,
            MaxAnswerBytes,
            responseType is null ? null : (_, bytes) => JsonSerializer.Deserialize(bytes.Span, responseType),
            cancellationToken);

    /// <summary>
    /// One Admin API request, the one way every call goes: the API key, no redirects, the named client's timeout over the
    /// whole exchange, an answer read up to <paramref name="maxBytes"/>, Hanko's error bodies turned into a
    /// <see cref="HankoAdminApiException"/>. <paramref name="read"/> turns the answer into the result (<see langword="null"/>: none is read).
    /// </summary>
    private async Task<T?> ExchangeAsync<T>(
        HttpMethod method,
        string path,
        HttpContent? body,
        HttpStatusCode expected,
        string[]? sentEvents,
        bool notFoundIsNull,
        int maxBytes,
        Func<HttpResponseMessage, ReadOnlyMemory<byte>, T?>? read,
        CancellationToken cancellationToken)
        where T : class
    {
        var operation = $"{method.Method} {PathOnly(path)}";
        // The named client's Timeout (30 s unless the app set another) bounds the whole exchange, reading the answer included.
        var client = _clients.CreateClient(HankoWebhookSubscriptionOptions.HttpClientName);
        var limit = client.Timeout;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (limit != Timeout.InfiniteTimeSpan)
        {
            timeout.CancelAfter(limit);
        }

        var uri = new Uri(_baseAddress, path);
        using var request = new HttpRequestMessage(method, uri) { Content = body };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (!string.IsNullOrEmpty(_options.ApiKey))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.ApiKey);
        }

        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new HankoAdminApiException($"Hanko's Admin API did not answer {operation} at {_baseAddress} within {limit.TotalSeconds:0.#} s.");
        }
        catch (HttpRequestException ex)
        {
            throw new HankoAdminApiException($"Could not reach Hanko's Admin API at {_baseAddress} for {operation}: {SubscriptionText.Sanitize(ex.Message, _options.ApiKey)}", ex);
        }

        using (response)
        {
            Log.AdminApiCall(_logger, method.Method, PathOnly(path), (int)response.StatusCode);
            if ((int)response.StatusCode is >= 300 and < 400)
            {
                var location = response.Headers.Location is { } l ? OriginOf(new Uri(uri, l)) : "no Location";
                throw new HankoAdminApiException(
                    $"Hanko's Admin API answered {operation} with a redirect ({(int)response.StatusCode}) to {location}. {NoRedirects}",
                    response.StatusCode,
                    hankoCode: null,
                    hankoMessage: null);
            }

            // A primary handler the SDK could not configure (AddSubscriptions turns redirects off where it can) followed one.
            if (response.RequestMessage?.RequestUri is { } answeredFor && answeredFor != uri)
            {
                throw new HankoAdminApiException(
                    $"Hanko's Admin API answered {operation} with a redirect to {OriginOf(answeredFor)}, which the named HttpClient's handler followed; its answer is not used. {NoRedirects}");
            }

            if (response.StatusCode == expected)
            {
                if (read is null)
                {
                    return (T)Found;
                }

                try
                {
                    var answer = await ReadAnswerAsync(response.Content, maxBytes, operation, timeout.Token).ConfigureAwait(false);
                    return read(response, answer) ?? throw new HankoAdminApiException($"Hanko's Admin API answered {operation} with an empty body.");
                }
                catch (JsonException ex)
                {
                    throw new HankoAdminApiException($"Hanko's Admin API answered {operation} with JSON this SDK cannot read ({ex.Message}). Is {_baseAddress} Hanko's admin API?", ex);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new HankoAdminApiException($"Hanko's Admin API did not finish answering {operation} within {limit.TotalSeconds:0.#} s.");
                }
            }

            var error = await ReadErrorAsync(response, timeout.Token).ConfigureAwait(false);
            if (notFoundIsNull && response.StatusCode == HttpStatusCode.NotFound && error is { Code: 404 })
            {
                return null;
            }

            throw Error(operation, response, error, sentEvents);
        }
    }

    /// <summary>Reads a success answer of at most <paramref name="maxBytes"/>, whatever its <c>Content-Length</c> says.</summary>
    private async Task<ReadOnlyMemory<byte>> ReadAnswerAsync(HttpContent content, int maxBytes, string operation, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<byte>? body;
        try
        {
            body = await BodyReader.ReadAsync(content, maxBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            throw new HankoAdminApiException($"Hanko's Admin API answer to {operation} broke off before its end.", ex);
        }

        return body ?? throw new HankoAdminApiException(
            $"Hanko's Admin API answered {operation} with a body larger than {maxBytes} bytes ({maxBytes / 1024} KiB), the most this SDK reads for it. Is {_baseAddress} Hanko's admin API?");
    }

    /// <summary>The path of a request without its query (what logs and messages name).</summary>
    private static string PathOnly(string path) => path.IndexOf('?', StringComparison.Ordinal) is var q and >= 0 ? path[..q] : path;

    private static string OriginOf(Uri uri) => uri.IsAbsoluteUri ? uri.GetLeftPart(UriPartial.Authority) : "a relative address";

    private HankoAdminApiException Error(string operation, HttpResponseMessage response, AdminApiError? error, string[]? sentEvents)
    {
        var status = (int)response.StatusCode;
        var hankoMessage = error?.Message is { } m ? SubscriptionText.Sanitize(m, _options.ApiKey) : null;
        var text = $"Hanko's Admin API refused {operation} with {status} {response.ReasonPhrase}";
        text += hankoMessage is null ? " (the body is not Hanko's {\"code\",\"message\"} error)." : $": {hankoMessage}.";
        text += Hint(response.StatusCode, hankoMessage, sentEvents);
        return new HankoAdminApiException(text, response.StatusCode, error?.Code, hankoMessage)
        {
            RefusedEventNames = response.StatusCode == HttpStatusCode.BadRequest ? RefusedNames(hankoMessage, sentEvents) : [],
        };
    }

    /// <summary>
    /// The sent names a 400 answer names by index: Hanko's validator writes <c>"&lt;name&gt; in events[i] is not a valid webhook
    /// event"</c> for each name it does not know (<c>dto/validator.go</c>), joined with <c>" and "</c>.
    /// </summary>
    private static string[] RefusedNames(string? hankoMessage, string[]? sentEvents)
    {
        if (hankoMessage is null || sentEvents is null)
        {
            return [];
        }

        var names = new List<string>();
        foreach (Match match in EventIndex().Matches(hankoMessage))
        {
            if (int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < sentEvents.Length
                && !names.Contains(sentEvents[index], StringComparer.Ordinal))
            {
                names.Add(sentEvents[index]);
            }
        }

        return [.. names];
    }

    private string Hint(HttpStatusCode status, string? hankoMessage, string[]? sentEvents)
    {
        if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            return string.IsNullOrEmpty(_options.ApiKey)
                ? " No ApiKey is set: Hanko Cloud needs one (Settings > API Keys); a self-hosted admin server behind a proxy may need a header on the named HttpClient."
                : " Check the ApiKey (Hanko Cloud: Settings > API Keys) and that the project's plan includes the Admin API.";
        }

        if (hankoMessage is not null && sentEvents is not null && EventIndex().Match(hankoMessage) is { Success: true } match
            && int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < sentEvents.Length)
        {
            return $" events[{index}] is \"{sentEvents[index]}\", which this Hanko version does not accept as an event name (older versions know no session.*, user.login or user.update.custom_claims events): update Hanko or remove the handler that needs it.";
        }

        if (hankoMessage is not null && hankoMessage.Contains("enabled is a required field", StringComparison.Ordinal))
        {
            return " Hanko's validation refuses enabled=false: a hook cannot be disabled through the Admin API (delete it instead).";
        }

        if (status == HttpStatusCode.NotFound && hankoMessage is null)
        {
            return $" Is {_baseAddress} the admin API (Hanko Cloud: https://{{tenant}}.hanko.io/admin; self-hosted: the admin server, port 8001 by default)?";
        }

        return string.Empty;
    }

    private static async Task<AdminApiError?> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var body = await BodyReader.ReadAsync(response.Content, MaxErrorBodyBytes, cancellationToken).ConfigureAwait(false);
            return body is not { IsEmpty: false } bytes
                ? null
                : JsonSerializer.Deserialize(bytes.Span, HankoAdminJsonContext.Default.AdminApiError) is { Message: not null } e ? e : null;
        }
        catch (Exception ex) when (ex is JsonException or HttpRequestException or IOException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"\bevents\[(\d+)\]")]
    private static partial Regex EventIndex();
}
