using Hanko.Webhooks.Verification;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Hanko.Webhooks.Internal;

/// <summary>
/// Runs when the host starts: warns about risky settings and, unless turned off, fetches the JWKS so that the first
/// delivery does not wait for it. A failed fetch does not stop the host; the next attempt may start 250 ms later
/// (doubling after each failure, up to <see cref="HankoWebhookOptions.JwksRefetchCooldown"/>), and a delivery that comes
/// before it waits for it.
/// </summary>
internal sealed class HankoWebhooksStartup : IHostedService
{
    private readonly IOptions<HankoWebhookOptions> _options;
    private readonly JwksKeyStore _keys;
    private readonly ILogger _logger;

    public HankoWebhooksStartup(IOptions<HankoWebhookOptions> options, JwksKeyStore keys, ILoggerFactory loggers)
    {
        _options = options;
        _keys = keys;
        _logger = loggers.CreateLogger("Hanko.Webhooks");
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var options = _options.Value;
        if (string.IsNullOrEmpty(options.Audience))
        {
            Log.NoAudience(_logger);
        }

        var uri = _keys.JwksUri;
        if (uri.Scheme == Uri.UriSchemeHttp)
        {
            if (HankoWebhookOptionsValidator.IsInsecureLoopback(uri))
            {
                Log.InsecureLoopbackJwks(_logger, uri);
            }
            else
            {
                Log.InsecureJwks(_logger, uri);
            }
        }

        if (options.FetchKeysOnStart)
        {
            await _keys.RefreshAsync(cancellationToken).ConfigureAwait(false);
            if (_keys.Status.KeyCount == 0)
            {
                Log.WarmUpFailed(_logger);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
