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
    private readonly IHankoWebhookVerifier _verifier;
    private readonly ILogger _logger;

    public HankoWebhooksStartup(IOptions<HankoWebhookOptions> options, IHankoWebhookVerifier verifier, ILoggerFactory loggers)
    {
        _options = options;
        _verifier = verifier;
        _logger = loggers.CreateLogger("Hanko.Webhooks");
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var options = _options.Value;
        if (string.IsNullOrEmpty(options.Audience))
        {
            Log.NoAudience(_logger);
        }

        if (_verifier is not HankoWebhookVerifier verifier)
        {
            return;
        }

        var uri = verifier.Keys.JwksUri;
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
            await verifier.Keys.RefreshAsync(cancellationToken).ConfigureAwait(false);
            if (verifier.Keys.Status.KeyCount == 0)
            {
                Log.WarmUpFailed(_logger);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
