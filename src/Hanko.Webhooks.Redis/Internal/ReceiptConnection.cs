using StackExchange.Redis;

namespace Hanko.Webhooks.Redis.Internal;

/// <summary>
/// The multiplexer receipts are stored on: one of their own whenever the package makes its multiplexers from
/// <see cref="HankoRedisOptions.Configuration"/>, or replicas must confirm receipts; else (the app's multiplexer from DI, no
/// replicas to wait for) the app's. StackExchange.Redis pipelines every command to an endpoint on one connection, and Redis
/// answers a connection's commands in order: on a shared connection a receipt's reply waits behind the workers' reads
/// (up to a few hundred entries each) and acknowledgments, and every request waits with it. Under load that left about a
/// fifth of the machine's CPU idle with every request in flight waiting on Redis (BENCHMARKS.md section 4). With
/// <see cref="HankoRedisOptions.MinReplicasToAcknowledge"/> there is a second reason: the <c>WAIT</c> after each batch holds
/// the connection it is sent on for up to 1 s while a replica lags, which on a shared connection would delay the app's own
/// commands, the workers and the other projects' receipts; and <c>WAIT</c> counts only the writes of its own connection,
/// so the receipt script goes on the same dedicated connection, right before it.
/// </summary>
/// <remarks>
/// Made from <see cref="HankoRedisOptions.Configuration"/>, or, with replicas to confirm and the app's own
/// <see cref="IConnectionMultiplexer"/> in DI, from that multiplexer's <see cref="IConnectionMultiplexer.Configuration"/>
/// string (what a configuration string can say: endpoints, password, TLS, Sentinel service name, timeouts; not callbacks set
/// in code, such as a certificate validation callback: set <see cref="HankoRedisOptions.Configuration"/> then). Without
/// replicas to confirm, receipts share the app's multiplexer rather than copy it without such callbacks. Connected when
/// the durable store is made (at host start), never aborting on a failed connect (receipts are answered <c>503</c> until
/// Redis is back), and disposed with the durable store.
/// </remarks>
internal sealed class ReceiptConnection : IDisposable
{
    private readonly RedisConnection _redis;
    private readonly object _gate = new();
    private SharedMultiplexer? _dedicated;
    private bool _disposed;

    public ReceiptConnection(RedisConnection redis)
    {
        _redis = redis;
    }

    /// <summary>True when receipts have a multiplexer of their own (the package makes its multiplexers, or replicas must confirm receipts).</summary>
    public bool Dedicated => _redis.HasConfiguration || _redis.MinReplicas > 0;

    /// <summary>The multiplexer for the next batch; a failed connect is tried again on the next call.</summary>
    public Task<IConnectionMultiplexer> MultiplexerAsync()
    {
        if (!Dedicated)
        {
            return Task.FromResult(_redis.Multiplexer);
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);

            // Made on first use: without a configuration string it is the one of the multiplexer in DI, which may not be registered yet.
            _dedicated ??= new SharedMultiplexer(_redis.ConfigurationForReceipts(), clientName: "hanko-webhooks-receipts");
            return _dedicated.ConnectAsync();
        }
    }

    /// <summary>
    /// For the health check: asks the server that receipts write to (the one holding <paramref name="stream"/>'s slot; the
    /// primary, see <see cref="RedisConnection.PrimaryOnly"/>) on the receipts' own connection. Nothing to ask when receipts
    /// share the multiplexer the health check asks already.
    /// </summary>
    public async Task CheckAsync(RedisKey stream)
    {
        if (!Dedicated)
        {
            return;
        }

        var multiplexer = await MultiplexerAsync().ConfigureAwait(false);
        await multiplexer.GetDatabase().KeyExistsAsync(stream, _redis.PrimaryOnly).ConfigureAwait(false);
    }

    /// <summary>Starts connecting the dedicated multiplexer (when there is one), so that the first receipt does not wait for it; a failure is left to the first receipt.</summary>
    public void ConnectInBackground()
    {
        if (!Dedicated)
        {
            return;
        }

        try
        {
            _ = MultiplexerAsync().ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
        catch (InvalidOperationException)
        {
            // No configuration yet (no multiplexer in DI): the first receipt reports it.
        }
    }

    public void Dispose()
    {
        SharedMultiplexer? dedicated;
        lock (_gate)
        {
            _disposed = true;
            dedicated = _dedicated;
        }

        dedicated?.Dispose();
    }
}
