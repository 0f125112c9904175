using Hanko.Webhooks.Testing;
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
        Verifier = new HankoWebhookVerifier(Options, new HttpClient(Hanko.CreateJwksHandler()), Time);
    }

    public FakeTimeProvider Time { get; }

    public FakeHanko Hanko { get; }

    public HankoWebhookOptions Options { get; }

    public HankoWebhookVerifier Verifier { get; }

    public ValueTask<HankoVerificationResult> VerifyAsync(HankoDelivery delivery) => Verifier.VerifyAsync(delivery.BodyBytes);

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
