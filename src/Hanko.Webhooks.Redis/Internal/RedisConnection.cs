using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Hanko.Webhooks.Redis.Internal;

/// <summary>
/// One project's way to Redis: its keys, and the multiplexer (from
/// <see cref="HankoRedisOptions.Configuration"/>, shared by every project with the same configuration string, connected on
/// first use and never aborting on a failed connect, so that the app starts and answers <c>503</c> while Redis is down; or
/// the app's own from DI).
/// </summary>
internal sealed class RedisConnection
{
    private readonly SharedMultiplexer? _shared;
    private readonly string? _configuration;
    private readonly Lazy<IConnectionMultiplexer> _fromServices;
    private readonly Lazy<CommandFlags> _primaryOnly;

    public RedisConnection(HankoRedisOptions options, string? project, RedisMultiplexers multiplexers, IServiceProvider services)
    {
        Project = project;
        Keys = new RedisKeys(RedisKeys.PrefixFor(options.KeyPrefix, project));
        MinReplicas = options.MinReplicasToAcknowledge;
        _configuration = options.Configuration;
        _shared = options.Configuration is { } configuration ? multiplexers.For(configuration) : null;
        _fromServices = new(() => services.GetService<IConnectionMultiplexer>()
            ?? throw new InvalidOperationException("UseRedis() needs a configuration string (UseRedis(\"host:6379\")) or an IConnectionMultiplexer registered in DI."));
        _primaryOnly = new(() => ConfigurationOptions.Parse(ConfigurationForReceipts()).ServiceName is null ? CommandFlags.None : CommandFlags.DemandMaster, LazyThreadSafetyMode.PublicationOnly);
    }

    /// <summary>The project whose keys these are; <see langword="null"/> for the unnamed one.</summary>
    public string? Project { get; }

    public RedisKeys Keys { get; }

    /// <summary>How long a receipt's Redis call (and the health check's) may take before the delivery is answered <c>503</c>:
    /// well inside Hanko's 10 s. The configuration string's own timeouts bound everything else.</summary>
    public static readonly TimeSpan OperationTimeout = TimeSpan.FromSeconds(2);

    /// <summary>How long one <c>WAIT</c> for <see cref="MinReplicas"/> may block: with the receipt's own bound, well inside Hanko's 10 s.</summary>
    public static readonly TimeSpan ReplicaWaitTimeout = TimeSpan.FromSeconds(1);

    /// <summary><see cref="HankoRedisOptions.MinReplicasToAcknowledge"/>: 0 answers receipts without <c>WAIT</c>.</summary>
    public int MinReplicas { get; }

    public IConnectionMultiplexer Multiplexer => _shared?.Multiplexer ?? _fromServices.Value;

    /// <summary>True when the package makes its multiplexers from <see cref="HankoRedisOptions.Configuration"/> (not the app's from DI).</summary>
    public bool HasConfiguration => _configuration is not null;

    /// <summary>
    /// The configuration string for a multiplexer of the receipts' own (<see cref="ReceiptConnection"/>):
    /// <see cref="HankoRedisOptions.Configuration"/>, or the one the app's multiplexer from DI was made with.
    /// </summary>
    public string ConfigurationForReceipts() => _configuration ?? _fromServices.Value.Configuration;

    public IDatabase Database => (_shared?.Multiplexer ?? _fromServices.Value).GetDatabase();

    /// <summary>
    /// The flags for what must run on the primary (a receipt, reading its replication): <see cref="CommandFlags.DemandMaster"/>
    /// through a Sentinel (<c>serviceName=</c> in the configuration), else none. StackExchange.Redis cannot tell a writing
    /// script from a reading one, and through a Sentinel it knows the replicas: by default (<c>PreferMaster</c>) it sends a
    /// script to a replica while the primary's connection is down, as for a moment after every reconnect, and the replica
    /// refuses it (<c>READONLY</c>: a receipt answered 503); the Sentinel tells it the new primary after a failover at once.
    /// Not on a Cluster: there a replica redirects (<c>MOVED</c>) instead of refusing, and StackExchange.Redis follows; and
    /// with every script of the package demanding the primary, a master failover once took 58.6 s until receipts were
    /// accepted again, against 4–7 s without (<c>RedisClusterTests</c>). So the Cluster path stays as it was measured.
    /// </summary>
    public CommandFlags PrimaryOnly => _primaryOnly.Value;

    /// <summary>
    /// How many replicas are online (in sync, so they can confirm a <c>WAIT</c>) on the primary that holds this project's keys,
    /// and which primary that is: its <c>INFO replication</c>, read by a script on the project's stream key, so that it runs on
    /// that primary (on Redis Cluster the one of the shard that owns the project's hash tag) and needs no admin mode (through
    /// a Sentinel only there, see <see cref="PrimaryOnly"/>: a replica would answer with its own replication, no replicas).
    /// </summary>
    public async Task<(int Online, string Primary)> ReplicasOnlineAsync()
    {
        var db = Database;
        var primary = db.IdentifyEndpoint(Keys.Stream, PrimaryOnly) is { } endpoint ? EndPointCollection.ToString(endpoint) : "?";
        var info = (string?)await db.ScriptEvaluateAsync(ReplicationInfo, [Keys.Stream], flags: PrimaryOnly).ConfigureAwait(false) ?? string.Empty;
        var online = info.Split('\n').Count(line => line.StartsWith("slave", StringComparison.Ordinal) && line.Contains(",state=online,", StringComparison.Ordinal));
        return (online, primary);
    }

    private const string ReplicationInfo = "return redis.call('INFO', 'replication')";

    /// <summary>Connects without blocking a thread (at host start), so that the first deliveries do not wait for a connect.</summary>
    public Task ConnectAsync() => _shared?.ConnectAsync() ?? Task.CompletedTask;
}

/// <summary>The multiplexers made from configuration strings, one per string: projects on the same Redis share one.</summary>
internal sealed class RedisMultiplexers : IDisposable
{
    private readonly Dictionary<string, SharedMultiplexer> _byConfiguration = new(StringComparer.Ordinal);

    public SharedMultiplexer For(string configuration)
    {
        lock (_byConfiguration)
        {
            if (!_byConfiguration.TryGetValue(configuration, out var shared))
            {
                _byConfiguration[configuration] = shared = new SharedMultiplexer(configuration);
            }

            return shared;
        }
    }

    public void Dispose()
    {
        lock (_byConfiguration)
        {
            foreach (var shared in _byConfiguration.Values)
            {
                shared.Dispose();
            }

            _byConfiguration.Clear();
        }
    }
}

/// <summary>
/// A multiplexer this package made (and disposes), connected on first use or at host start: one connect, whoever asks
/// first; whoever asks while it runs waits for that one (a second connect would leave two multiplexers to one Redis).
/// </summary>
internal sealed class SharedMultiplexer : IDisposable
{
    private readonly ConfigurationOptions _configuration;
    private readonly object _gate = new();
    private Task<IConnectionMultiplexer>? _connecting;
    private bool _disposed;

    /// <param name="configuration">A StackExchange.Redis configuration string.</param>
    /// <param name="clientName">The client name when the string sets none (<c>CLIENT LIST</c> shows it).</param>
    public SharedMultiplexer(string configuration, string? clientName = null)
    {
        _configuration = OptionsFor(configuration);
        _configuration.ClientName ??= clientName;
    }

    /// <summary>
    /// The multiplexer; on a first use before the host's start connected it, waits for the connect (as a synchronous
    /// connect would: with <c>abortConnect=false</c> it ends after the configuration's <c>connectTimeout</c> at most, and
    /// the multiplexer keeps trying in the background).
    /// </summary>
    public IConnectionMultiplexer Multiplexer
    {
        get
        {
            var connecting = Connecting();
            return connecting.IsCompletedSuccessfully ? connecting.Result : connecting.GetAwaiter().GetResult();
        }
    }

    /// <summary>
    /// The options of a multiplexer this package makes (never one from DI): it keeps trying when Redis is not there at start,
    /// and it completes its replies on the .NET thread pool (<see cref="SocketManager.ThreadPool"/>), not on
    /// StackExchange.Redis's own threads: the package calls Redis only asynchronously and continues on the thread pool
    /// anyway, so the dedicated threads only added a thread switch per reply (about 7 % of the receiver's CPU per durable
    /// delivery, BENCHMARKS.md section 4).
    /// </summary>
    public static ConfigurationOptions OptionsFor(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        options.SocketManager = SocketManager.ThreadPool;
        return options;
    }

    /// <summary>Connects without blocking a thread (at host start), or returns the connect under way or done: the same one as <see cref="Multiplexer"/>'s.</summary>
    public Task<IConnectionMultiplexer> ConnectAsync() => Connecting();

    /// <summary>The one connect; a connect that failed (not one that could not reach Redis: that one keeps trying) is made again.</summary>
    private Task<IConnectionMultiplexer> Connecting()
    {
        if (!Volatile.Read(ref _disposed) && Volatile.Read(ref _connecting) is { IsFaulted: false, IsCanceled: false } connecting)
        {
            return connecting;
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_connecting is null || _connecting.IsFaulted || _connecting.IsCanceled)
            {
                Volatile.Write(ref _connecting, ConnectCoreAsync());
            }

            return _connecting;
        }
    }

    private async Task<IConnectionMultiplexer> ConnectCoreAsync() => await ConnectionMultiplexer.ConnectAsync(_configuration).ConfigureAwait(false);

    public void Dispose()
    {
        Task<IConnectionMultiplexer>? connecting;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            Volatile.Write(ref _disposed, true);
            connecting = _connecting;
        }

        if (connecting is null)
        {
            return;
        }

        if (connecting.IsCompletedSuccessfully)
        {
            connecting.Result.Dispose();
        }
        else
        {
            // Still connecting: dispose it once connected.
            _ = connecting.ContinueWith(static t => t.Result.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
        }
    }
}
