using Hanko.Webhooks.Testing;

namespace Hanko.Webhooks;

/// <summary>
/// The local "Hanko" of <c>UseDevelopmentHanko()</c>: in the Development environment, when no real key source
/// (<see cref="HankoWebhookOptions.TenantId"/>, <see cref="HankoWebhookOptions.ApiUrl"/>, <see cref="HankoWebhookOptions.JwksUrl"/>)
/// is configured, a <see cref="FakeHanko"/> whose JWKS the app's verifier uses, so that deliveries it signs verify exactly like
/// Hanko's. Resolve it from the services to mint deliveries in a test (<c>factory.Services.GetRequiredService&lt;HankoDevelopmentHanko&gt;()</c>).
/// </summary>
public sealed class HankoDevelopmentHanko : IDisposable
{
    private readonly FakeHanko? _hanko;

    internal HankoDevelopmentHanko(FakeHanko? hanko, string environmentName, string reason)
    {
        _hanko = hanko;
        EnvironmentName = environmentName;
        Reason = reason;
    }

    /// <summary>Whether this local Hanko signs the deliveries the app verifies (local mode).</summary>
    public bool CanSign => _hanko is not null;

    /// <summary>The host environment the decision was made in.</summary>
    public string EnvironmentName { get; }

    /// <summary>Why the local Hanko signs, or why it cannot (a real key source is configured, or the environment is not Development).</summary>
    public string Reason { get; }

    /// <summary>The fake Hanko whose key the app's verifier trusts.</summary>
    /// <exception cref="InvalidOperationException"><see cref="CanSign"/> is <see langword="false"/>; the message says why.</exception>
    public FakeHanko Hanko => _hanko ?? throw new InvalidOperationException("The development Hanko cannot sign deliveries: " + Reason);

    /// <summary>Releases the fake's keys.</summary>
    public void Dispose() => _hanko?.Dispose();
}
