using Hanko.Webhooks.Handling;
using Hanko.Webhooks.Receiving;
using Hanko.Webhooks.Testing;
using Hanko.Webhooks.Verification;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Hanko.Webhooks.Tests.TestSupport;

/// <summary>A <see cref="FakeHanko"/>, a verifier reading its JWKS through a counting handler, and one fake clock for both.</summary>
internal sealed class VerifierHarness : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    public VerifierHarness(Action<HankoWebhookOptions>? configure = null, FakeHankoOptions? hankoOptions = null)
    {
        Time = new FakeTimeProvider(Start);
        hankoOptions ??= new FakeHankoOptions();
        hankoOptions.TimeProvider = Time;
        Hanko = new FakeHanko(hankoOptions);
        Options = new HankoWebhookOptions { JwksUrl = "https://hanko.test/.well-known/jwks.json", Audience = "localhost" };
        configure?.Invoke(Options);
        Verifier = new WebhookVerifier(Options, new HttpClient(Hanko.CreateJwksHandler()), Time);
    }

    public FakeTimeProvider Time { get; }

    public FakeHanko Hanko { get; }

    public HankoWebhookOptions Options { get; }

    public WebhookVerifier Verifier { get; }

    public ValueTask<HankoVerificationResult> VerifyAsync(HankoDelivery delivery) => Verifier.VerifyAsync(delivery.BodyBytes);

    /// <summary>A receiver over this verifier: no replay guard unless <paramref name="replayProtection"/>, no handlers unless a dispatcher is given.</summary>
    public IHankoWebhookReceiver CreateReceiver(IHankoEventDispatcher? dispatcher = null, bool replayProtection = false)
    {
        dispatcher ??= new HankoEventDispatcher(new ServiceCollection().BuildServiceProvider().GetRequiredService<IServiceScopeFactory>(), NullLoggerFactory.Instance);
        var guard = replayProtection
            ? new ReplayGuard(new DistributedCacheReplayClaimStore(new MemoryDistributedCache(Microsoft.Extensions.Options.Options.Create(new MemoryDistributedCacheOptions()))), Options, Time, NullLogger.Instance)
            : null;
        return new HankoWebhookReceiver(Verifier, dispatcher, guard, Options, NullLogger.Instance);
    }

    /// <summary>Waits (in real time, bounded) until a background JWKS fetch has completed.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string because)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(because);
            }

            await Task.Delay(10);
        }
    }

    public void Dispose() => Hanko.Dispose();
}
