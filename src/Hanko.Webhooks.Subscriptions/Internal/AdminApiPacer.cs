namespace Hanko.Webhooks.Subscriptions;

/// <summary>
/// Spaces a run's Admin API requests at least <c>1 / requestsPerSecond</c> apart (no bursts), on the given clock, so that a
/// catch-up of a long window never asks Hanko faster than it was allowed to.
/// </summary>
internal sealed class AdminApiPacer(double requestsPerSecond, TimeProvider time)
{
    private readonly TimeSpan _interval = TimeSpan.FromSeconds(1 / requestsPerSecond);
    private DateTimeOffset _next = DateTimeOffset.MinValue;

    /// <summary>How many requests were let through.</summary>
    public int Requests { get; private set; }

    /// <summary>Waits for the next request's turn (one caller at a time: a run is sequential).</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var at = _next > now ? _next : now;
        _next = at + _interval;
        Requests++;
        if (at > now)
        {
            await Task.Delay(at - now, time, cancellationToken).ConfigureAwait(false);
        }
    }
}
