using System.Text.Json.Nodes;
using Hanko.Webhooks.Testing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Hanko.Webhooks.DevConsole.Internal;

/// <summary>
/// Sends a delivery minted by the local Hanko to one of this app's <c>MapHankoWebhooks</c> endpoints, over HTTP to the app's own
/// loopback address, exactly as Hanko would post it; then waits for the delivery's span to end and returns what it recorded.
/// </summary>
internal sealed class ConsoleSender : IDisposable
{
    private static readonly TimeSpan RecordWait = TimeSpan.FromSeconds(5);

    private readonly Lazy<HankoDevelopmentHanko> _local;
    private readonly DeliveryLog _log;
    private readonly IServer _server;
    private readonly EndpointDataSource _endpoints;
    private readonly HttpClient _client;
    private readonly SemaphoreSlim _minting = new(1, 1);
    private long _mintedSecond;
    private HashSet<string> _mintedThisSecond = new(StringComparer.Ordinal);

    public ConsoleSender(Lazy<HankoDevelopmentHanko> local, DeliveryLog log, IServer server, EndpointDataSource endpoints)
    {
        _local = local;
        _log = log;
        _server = server;
        _endpoints = endpoints;
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false, UseCookies = false };
        // The target is always this app on a loopback address (SelfAddress takes no other), whose development certificate
        // need not be trusted by the machine.
#pragma warning disable CA5359
        handler.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
#pragma warning restore CA5359
        _client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) }; // Hanko's own timeout
    }

    /// <summary>The patterns of the webhook endpoints this app mapped, in mapping order.</summary>
    public IReadOnlyList<string> WebhookPaths() =>
        _endpoints.Endpoints
            .Select(e => e.Metadata.GetMetadata<HankoWebhookEndpointMetadata>()?.Pattern)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToArray();

    /// <summary>The app's own address to post to: its first http (else https) address, on loopback.</summary>
    public Uri? SelfAddress()
    {
        var addresses = _server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var candidates = addresses
            .Select(Loopback)
            .OfType<Uri>()
            .OrderBy(u => u.Scheme == Uri.UriSchemeHttp ? 0 : 1);
        return candidates.FirstOrDefault();
    }

    /// <summary>
    /// Logs the console's address at start (event 203). The app's own pipeline decides whether that address shows the
    /// console: when HTTPS redirection answers it with a 3xx, the line says so and where to go instead (event 206).
    /// </summary>
    public async Task AnnounceAsync(ILogger logger, string pattern, CancellationToken stopping)
    {
        if (SelfAddress() is not { } self)
        {
            Log.ConsoleMapped(logger, pattern, pattern);
            return;
        }

        var url = new Uri(self, pattern);
        try
        {
            using var response = await _client.GetAsync(new Uri(self, pattern.TrimEnd('/') + "/api/status"), HttpCompletionOption.ResponseHeadersRead, stopping).ConfigureAwait(false);
            if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
            {
                var redirected = new Uri(new Uri(url, location), pattern);
                Log.ConsoleRedirected(logger, url.ToString(), (int)response.StatusCode, redirected.ToString());
                return;
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or ObjectDisposedException or InvalidOperationException or UriFormatException)
        {
            // The address is still right; a failed look at it (the host stopping and the client disposed meanwhile, a
            // Location that is no URI) must not hide the start line, nor end as an unobserved exception (this runs unawaited).
        }

        Log.ConsoleMapped(logger, url.ToString(), pattern);
    }

    public async Task<SendOutcome> SendAsync(string eventName, string? variant, JsonObject? data, Forgery? forgery, string? path, CancellationToken cancellationToken)
    {
        var hanko = _local.Value.Hanko; // throws with the reason when the console cannot sign
        var paths = WebhookPaths();
        path ??= paths.Count > 0 ? paths[0] : throw new SendException(409, "The app maps no Hanko webhook endpoint: call app.MapHankoWebhooks(\"/webhooks/hanko\").");
        if (!paths.Contains(path, StringComparer.Ordinal))
        {
            throw new SendException(400, $"'{path}' is not a Hanko webhook endpoint of this app. Endpoints: {string.Join(", ", paths)}.");
        }

        var self = SelfAddress() ?? throw new SendException(409, "The app's own loopback address is not known (is it listening on http://127.0.0.1 or localhost? Under TestServer, post hanko.Hanko.CreateDelivery(...) with the test client instead).");

        void Configure(FakeDeliveryOptions o)
        {
            if (data is not null)
            {
                o.Data = data.DeepClone();
            }
            else
            {
                o.Variant = variant;
            }
        }

        var delivery = await MintNewAsync(hanko, () => forgery is null ? hanko.CreateDelivery(eventName, Configure) : forgery.Create(hanko, eventName, Configure), cancellationToken).ConfigureAwait(false);

        var sendId = Guid.NewGuid().ToString("N");
        var payload = forgery is { CarriesData: false } ? null : data?.DeepClone() ?? DefaultData(eventName, variant);
        var sent = new SentDelivery(sendId, forgery?.Id ?? "genuine", eventName, payload);
        _log.Expect(sent);

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(self, path)) { Content = delivery.ToHttpContent() };
        request.Headers.Add(DeliveryLog.SendHeader, sendId);
        using var response = await _client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);

        var record = _log.FindBySend(sendId);
        if (record is not null)
        {
            try
            {
                // The span ends right after the response is written; the client can see the answer first.
                await record.Completed.WaitAsync(RecordWait, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }
        }

        return new SendOutcome(sent, new Uri(self, path), (int)response.StatusCode, ProblemTitle(body), record);
    }

    public void Dispose()
    {
        _client.Dispose();
        _minting.Dispose();
    }

    /// <summary>
    /// Mints a delivery whose token this console has not sent before. Hanko signs <c>iat</c> in whole seconds with a deterministic
    /// signature (RS256), so the same event with the same data twice in one second is one token, one delivery id, and the second
    /// copy is a duplicate. Each Send is a new occurrence: when the token repeats one sent in this second, the console waits
    /// for the next second and signs again, as Hanko would sign that occurrence then.
    /// </summary>
    private async Task<HankoDelivery> MintNewAsync(FakeHanko hanko, Func<HankoDelivery> mint, CancellationToken cancellationToken)
    {
        await _minting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (true)
            {
                var now = hanko.TimeProvider.GetUtcNow();
                var second = now.ToUnixTimeSeconds();
                if (second != _mintedSecond)
                {
                    (_mintedSecond, _mintedThisSecond) = (second, new HashSet<string>(StringComparer.Ordinal));
                }

                HankoDelivery delivery;
                try
                {
                    delivery = mint();
                }
                catch (ArgumentException ex)
                {
                    throw new SendException(400, ex.Message);
                }

                if (hanko.TimeProvider.GetUtcNow().ToUnixTimeSeconds() != second)
                {
                    continue; // the second turned while signing: the token's iat may be the next one; sign again in it
                }

                if (_mintedThisSecond.Add(delivery.Token))
                {
                    return delivery;
                }

                var nextSecond = DateTimeOffset.FromUnixTimeSeconds(second + 1);
                await Task.Delay(nextSecond - now, hanko.TimeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _minting.Release();
        }
    }

    private static JsonObject? DefaultData(string eventName, string? variant)
    {
        try
        {
            return FakeHanko.GetDefaultData(eventName, variant);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static string? ProblemTitle(string body)
    {
        try
        {
            return JsonNode.Parse(body) is JsonObject problem && problem["title"] is JsonValue title && title.TryGetValue(out string? text) ? text : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static Uri? Loopback(string address)
    {
        var normalized = address
            .Replace("://*", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://+", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://[::]", "://[::1]", StringComparison.Ordinal);
        if (!Uri.TryCreate(normalized, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return null;
        }

        // Only ever this machine: a server bound to a specific LAN address is not posted to.
        if (uri.IsLoopback)
        {
            return new UriBuilder(uri) { Host = uri.Host == "localhost" ? "127.0.0.1" : uri.Host, Path = "/" }.Uri;
        }

        return null;
    }
}

/// <summary>What one send did.</summary>
internal sealed record SendOutcome(SentDelivery Sent, Uri Target, int Status, string? Title, DeliveryRecord? Record);

/// <summary>A send that could not be made, with the status the API answers.</summary>
internal sealed class SendException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}
