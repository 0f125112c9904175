using Hanko.Webhooks.Testing;

namespace Hanko.Webhooks.Sample;

/// <summary>Once the app listens, posts one signed delivery of every Hanko event type to the app's own endpoint.</summary>
internal sealed class SelfPoster(LocalHanko local, IHostApplicationLifetime lifetime, ILogger<SelfPoster> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(started.SetResult))
        {
            await started.Task.WaitAsync(stoppingToken);
        }

        var endpoint = new Uri(local.BaseUri, "/webhooks/hanko");
        logger.LogInformation("Local mode: posting one signed delivery of each of the {Count} Hanko events to {Endpoint}", FakeHanko.EventNames.Count, endpoint);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var ok = 0;
        foreach (var eventName in FakeHanko.EventNames)
        {
            var delivery = local.Hanko.CreateDelivery(eventName);
            using var response = await client.PostAsync(endpoint, delivery.ToHttpContent(), stoppingToken);
            if (response.IsSuccessStatusCode)
            {
                ok++;
            }
            else
            {
                logger.LogWarning("{Event}: HTTP {Status}", eventName, (int)response.StatusCode);
            }
        }

        // And one forged delivery, to show a refusal: a Hanko session token, same key and audience, is not a webhook.
        using (var forged = await client.PostAsync(endpoint, local.Hanko.CreateSessionTokenDelivery().ToHttpContent(), stoppingToken))
        {
            logger.LogInformation("A session token posted as a webhook was answered with HTTP {Status}", (int)forged.StatusCode);
        }

        logger.LogInformation("{Ok} of {Count} deliveries accepted. Still serving at {Endpoint}; press Ctrl+C to stop", ok, FakeHanko.EventNames.Count, endpoint);
    }
}
