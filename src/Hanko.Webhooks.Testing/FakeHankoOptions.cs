namespace Hanko.Webhooks.Testing;

/// <summary>
/// Settings of a <see cref="FakeHanko"/>. Every property has a default that matches a freshly started Hanko
/// (apart from <see cref="KeySize"/>, which is smaller so that tests start fast).
/// </summary>
public sealed class FakeHankoOptions
{
    /// <summary>
    /// The audience put in the <c>aud</c> claim of every delivery when <see cref="Audiences"/> is not set.
    /// Hanko uses <c>session.audience</c> or, when that is empty, <c>webauthn.relying_party.id</c>.
    /// </summary>
    /// <value>The default is <c>"localhost"</c> (Hanko's default relying party id).</value>
    public string Audience { get; set; } = "localhost";

    /// <summary>
    /// All audiences put in the <c>aud</c> claim (Hanko's <c>session.audience</c> list). When set, it replaces <see cref="Audience"/>.
    /// </summary>
    /// <value>The default is <see langword="null"/>: <c>aud</c> is <c>[Audience]</c>.</value>
    public IReadOnlyList<string>? Audiences { get; set; }

    /// <summary>The size in bits of the RSA keys the fake creates.</summary>
    /// <value>
    /// The default is 2048, so that tests start fast. Hanko's local key store creates 4096-bit keys (AWS KMS keys may be
    /// 2048, 3072 or 4096); set 4096 to measure realistic verification costs. Must be at least 2048.
    /// </value>
    public int KeySize { get; set; } = 2048;

    /// <summary>The clock that sets <c>iat</c> and <c>exp</c> of deliveries (for example a <c>FakeTimeProvider</c>).</summary>
    /// <value>The default is <see cref="System.TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// The <c>Cache-Control: max-age</c> the JWKS handler sends, or <see langword="null"/> to send no <c>Cache-Control</c> header.
    /// </summary>
    /// <value>The default is 600 seconds, as Hanko's <c>/.well-known/jwks.json</c> sends.</value>
    public TimeSpan? JwksMaxAge { get; set; } = TimeSpan.FromSeconds(600);
}
