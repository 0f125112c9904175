using System.Collections.Concurrent;
using Hanko.Webhooks.Testing;
using Hanko.Webhooks.Tests.TestSupport;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Hanko.Webhooks.Tests.Receiving;

/// <summary>A DI-built <see cref="IHankoWebhookReceiver"/> over a <see cref="FakeHanko"/>, one fake clock, captured logs, and counting handlers.</summary>
internal sealed class ReceiverHarness : IAsyncDisposable
{
    private ReceiverHarness(ServiceProvider provider, FakeHanko hanko, FakeTimeProvider time)
    {
        Provider = provider;
        Hanko = hanko;
        Time = time;
    }

    public ServiceProvider Provider { get; }

    public FakeHanko Hanko { get; }

    public FakeTimeProvider Time { get; }

    public IHankoWebhookReceiver Receiver => Provider.GetRequiredService<IHankoWebhookReceiver>();

    public Counter Counter => Provider.GetRequiredService<Counter>();

    public FakeLogCollector Logs => Provider.GetFakeLogCollector();

    public static ReceiverHarness Create(Action<HankoWebhookOptions>? options = null, Action<IServiceCollection>? services = null, Action<HankoWebhooksBuilder>? handlers = null)
    {
        var time = new FakeTimeProvider(VerifierHarness.Start);
        var hanko = new FakeHanko(new FakeHankoOptions { TimeProvider = time });
        var collection = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Debug).AddFakeLogging())
            .AddSingleton<TimeProvider>(time)
            .AddSingleton<Counter>();
        services?.Invoke(collection);
        var builder = collection.AddHankoWebhooks(o =>
        {
            o.JwksUrl = "https://hanko.test/.well-known/jwks.json";
            o.Audience = "localhost";
            o.FetchKeysOnStart = false;
            options?.Invoke(o);
        });
        collection.AddHttpClient(HankoWebhookOptions.HttpClientName).ConfigurePrimaryHttpMessageHandler(hanko.CreateJwksHandler);
        (handlers ?? (h => h.AddHandler<CountingHandler>())).Invoke(builder);
        return new ReceiverHarness(collection.BuildServiceProvider(), hanko, time);
    }

    public bool Logged(int eventId) => Logs.GetSnapshot().Any(r => r.Id.Id == eventId);

    public async ValueTask DisposeAsync()
    {
        await Provider.DisposeAsync();
        Hanko.Dispose();
    }
}

/// <summary>Counts dispatches per <see cref="HankoEvent.DeliveryId"/>; can hold handlers at a gate and make them fail.</summary>
internal sealed class Counter
{
    private int _failuresLeft;

    public ConcurrentDictionary<string, int> ByDelivery { get; } = new();

    public int Total => ByDelivery.Values.Sum();

    /// <summary>When set, handlers wait for it.</summary>
    public TaskCompletionSource? Gate { get; set; }

    public SemaphoreSlim Entered { get; } = new(0);

    /// <summary>How many of the next handler calls throw (after counting).</summary>
    public int FailNext { set => Volatile.Write(ref _failuresLeft, value); }

    public bool TakeFailure() => Interlocked.Decrement(ref _failuresLeft) >= 0;
}

internal sealed class CountingHandler(Counter counter) : IHankoEventHandler<HankoEvent>
{
    public async Task HandleAsync(HankoEvent @event, CancellationToken cancellationToken)
    {
        counter.ByDelivery.AddOrUpdate(@event.DeliveryId, 1, (_, n) => n + 1);
        counter.Entered.Release();
        if (counter.Gate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        if (counter.TakeFailure())
        {
            throw new InvalidOperationException("handler failed");
        }
    }
}

/// <summary>An <see cref="IDistributedCache"/> that fails: it throws, or never answers until cancelled.</summary>
internal sealed class BrokenCache(bool hang) : IDistributedCache
{
    public int Calls;

    public byte[]? Get(string key) => throw new NotSupportedException();

    public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => Fail<byte[]?>(token);

    public void Refresh(string key) => throw new NotSupportedException();

    public Task RefreshAsync(string key, CancellationToken token = default) => Fail<bool>(token);

    public void Remove(string key) => throw new NotSupportedException();

    public Task RemoveAsync(string key, CancellationToken token = default) => Fail<bool>(token);

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => throw new NotSupportedException();

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) => Fail<bool>(token);

    private async Task<T> Fail<T>(CancellationToken token)
    {
        Interlocked.Increment(ref Calls);
        if (hang)
        {
            await Task.Delay(Timeout.Infinite, token);
        }

        throw new InvalidOperationException("It was not possible to connect to the redis server(s).");
    }
}

/// <summary>Wraps a real cache and records the entry options of each write.</summary>
internal sealed class RecordingCache(IDistributedCache inner) : IDistributedCache
{
    public ConcurrentQueue<(string Key, DistributedCacheEntryOptions Options)> Writes { get; } = new();

    public byte[]? Get(string key) => inner.Get(key);

    public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => inner.GetAsync(key, token);

    public void Refresh(string key) => inner.Refresh(key);

    public Task RefreshAsync(string key, CancellationToken token = default) => inner.RefreshAsync(key, token);

    public void Remove(string key) => inner.Remove(key);

    public Task RemoveAsync(string key, CancellationToken token = default) => inner.RemoveAsync(key, token);

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => inner.Set(key, value, options);

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        Writes.Enqueue((key, options));
        return inner.SetAsync(key, value, options, token);
    }
}
