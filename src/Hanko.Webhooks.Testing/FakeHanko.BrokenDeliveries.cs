using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace Hanko.Webhooks.Testing;

// Deliveries a verifier must reject, each broken in one way. In every method `configure` runs first, then the
// method sets what makes the delivery broken; for precise boundaries (e.g. one second past exp) use CreateDelivery.
public sealed partial class FakeHanko
{
    private const string DefaultBrokenEvent = "user.create";

    /// <summary>A delivery whose <c>exp</c> passed an hour ago (far beyond any clock skew).</summary>
    /// <param name="eventName">The event name.</param>
    /// <param name="configure">Other changes, applied first.</param>
    /// <returns>The delivery.</returns>
    public HankoDelivery CreateExpiredDelivery(string eventName = DefaultBrokenEvent, Action<FakeDeliveryOptions>? configure = null) =>
        Create(eventName, configure, o => o.IssuedAt = TimeProvider.GetUtcNow() - o.Lifetime - TimeSpan.FromHours(1));

    /// <summary>
    /// A delivery issued an hour in the future (<c>iat</c> = now + 1 h, <c>exp</c> = <c>iat</c> + lifetime). Hanko tokens have no <c>nbf</c>,
    /// so only a verifier that checks <c>iat</c> rejects it.
    /// </summary>
    /// <param name="eventName">The event name.</param>
    /// <param name="configure">Other changes, applied first.</param>
    /// <returns>The delivery.</returns>
    public HankoDelivery CreateNotYetValidDelivery(string eventName = DefaultBrokenEvent, Action<FakeDeliveryOptions>? configure = null) =>
        Create(eventName, configure, o => o.IssuedAt = TimeProvider.GetUtcNow() + TimeSpan.FromHours(1));

    /// <summary>A correctly signed delivery for another Hanko project: <c>aud</c> is <c>["wrong-audience.example"]</c>.</summary>
    /// <param name="eventName">The event name.</param>
    /// <param name="configure">Other changes, applied first.</param>
    /// <returns>The delivery.</returns>
    public HankoDelivery CreateWrongAudienceDelivery(string eventName = DefaultBrokenEvent, Action<FakeDeliveryOptions>? configure = null) =>
        Create(eventName, configure, o => o.Audience = ["wrong-audience.example"]);

    /// <summary>
    /// A stolen Hanko <em>session</em> token posted as a webhook. Hanko signs session JWTs with the same key and for the same
    /// audience as webhook tokens, so it verifies; but its <c>sub</c> is the user id, it carries <c>session_id</c> and <c>email</c>,
    /// lives 12 hours, and has no <c>evt</c> and no <c>data</c>. The body still says <c>event</c> = <paramref name="eventName"/>.
    /// </summary>
    /// <param name="eventName">The event name the attacker puts in the body.</param>
    /// <param name="configure">Other changes, applied first.</param>
    /// <returns>The delivery.</returns>
    public HankoDelivery CreateSessionTokenDelivery(string eventName = DefaultBrokenEvent, Action<FakeDeliveryOptions>? configure = null) =>
        Create(eventName, configure, o =>
        {
            var session = GetDefaultData("session.create.flow");
            o.OmitData = true;
            o.OmitEventClaim = true;
            o.Subject = (string?)session["user_id"];
            o.Lifetime = TimeSpan.FromHours(12);
            o.ExtraClaims["session_id"] = (string?)session["id"];
            o.ExtraClaims["email"] = new JsonObject
            {
                ["address"] = "jane.doe@example.com",
                ["is_primary"] = true,
                ["is_verified"] = true,
            };
        });

    /// <summary>A delivery signed by an RSA key that was never published (its <c>kid</c> is a new UUID not in the JWKS, even after a refetch).</summary>
    /// <param name="eventName">The event name.</param>
    /// <param name="configure">Other changes, applied first.</param>
    /// <returns>The delivery.</returns>
    public HankoDelivery CreateUnknownKeyDelivery(string eventName = DefaultBrokenEvent, Action<FakeDeliveryOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        ThrowIfDisposed();
        var rsa = FakeHankoKeys.Rent(_keySize);
        try
        {
            var stranger = new FakeHankoKey(Guid.NewGuid().ToString(), rsa, isPublished: false);
            return Create(eventName, configure, o => o.Key = stranger);
        }
        finally
        {
            FakeHankoKeys.Return(rsa);
        }
    }

    /// <summary>
    /// A delivery whose payload segment was changed after signing: <c>data</c> gains <c>"tampered":true</c> (or, when <c>data</c> is not an
    /// object, <c>exp</c> moves a day later). Header and signature are the original ones, so the signature no longer matches.
    /// </summary>
    /// <param name="eventName">The event name.</param>
    /// <param name="configure">Other changes, applied first.</param>
    /// <returns>The delivery.</returns>
    public HankoDelivery CreateTamperedPayloadDelivery(string eventName = DefaultBrokenEvent, Action<FakeDeliveryOptions>? configure = null) =>
        CreateAndAlter(eventName, configure, minted =>
        {
            var claims = minted.Claims;
            if (claims.TryGetValue("data", out var data) && data is JsonObject dataObject)
            {
                dataObject["tampered"] = true;
            }
            else
            {
                claims["exp"] = (long)(claims["exp"] ?? 0) + 86_400;
            }

            return $"{minted.Header}.{FakeTokenMinter.Encode(claims)}.{minted.Signature}";
        });

    /// <summary>A genuine delivery with one bit of its signature flipped.</summary>
    /// <param name="eventName">The event name.</param>
    /// <param name="configure">Other changes, applied first.</param>
    /// <returns>The delivery.</returns>
    public HankoDelivery CreateTamperedSignatureDelivery(string eventName = DefaultBrokenEvent, Action<FakeDeliveryOptions>? configure = null) =>
        CreateAndAlter(eventName, configure, minted =>
        {
            var signature = Base64UrlEncoder.DecodeBytes(minted.Signature);
            signature[signature.Length / 2] ^= 0x01;
            return $"{minted.Header}.{minted.Payload}.{Base64UrlEncoder.Encode(signature)}";
        });

    /// <summary>An unsigned delivery: header <c>alg</c> is <c>none</c> (with the real <c>kid</c>) and the signature segment is empty.</summary>
    /// <param name="eventName">The event name.</param>
    /// <param name="configure">Other changes, applied first.</param>
    /// <returns>The delivery.</returns>
    public HankoDelivery CreateAlgNoneDelivery(string eventName = DefaultBrokenEvent, Action<FakeDeliveryOptions>? configure = null) =>
        Create(eventName, configure, o => o.Algorithm = "none");

    /// <summary>
    /// The RSA/HMAC key-confusion attack: header <c>alg</c> is <c>HS256</c> with the signing key's <c>kid</c>, and the signature is
    /// HMAC-SHA256 keyed with that key's public modulus bytes (see <see cref="FakeDeliveryOptions.Algorithm"/>).
    /// </summary>
    /// <param name="eventName">The event name.</param>
    /// <param name="configure">Other changes, applied first.</param>
    /// <returns>The delivery.</returns>
    public HankoDelivery CreateHs256WithPublicKeyDelivery(string eventName = DefaultBrokenEvent, Action<FakeDeliveryOptions>? configure = null) =>
        Create(eventName, configure, o => o.Algorithm = "HS256");

    /// <summary>
    /// A delivery whose token is cut off in the middle of its payload segment (no signature segment). The body is still valid JSON;
    /// for a cut-off body use <see cref="HankoDelivery.WithBody"/>.
    /// </summary>
    /// <param name="eventName">The event name.</param>
    /// <param name="configure">Other changes, applied first.</param>
    /// <returns>The delivery.</returns>
    public HankoDelivery CreateTruncatedDelivery(string eventName = DefaultBrokenEvent, Action<FakeDeliveryOptions>? configure = null) =>
        CreateAndAlter(eventName, configure, minted => $"{minted.Header}.{minted.Payload[..(minted.Payload.Length / 2)]}");

    /// <summary>
    /// A correctly signed delivery whose unsigned body <c>event</c> differs from the signed <c>evt</c> claim: <c>user.delete</c>
    /// (or <c>user.create</c> when <paramref name="eventName"/> is <c>user.delete</c>). A verifier must trust <c>evt</c>.
    /// </summary>
    /// <param name="eventName">The event name, put in <c>evt</c>.</param>
    /// <param name="configure">Other changes, applied first.</param>
    /// <returns>The delivery.</returns>
    public HankoDelivery CreateEventMismatchDelivery(string eventName = DefaultBrokenEvent, Action<FakeDeliveryOptions>? configure = null) =>
        Create(eventName, configure, o =>
        {
            o.OmitBodyEvent = false;
            o.BodyEvent = (o.EventClaim ?? eventName) == "user.delete" ? "user.create" : "user.delete";
        });

    private HankoDelivery CreateAndAlter(string eventName, Action<FakeDeliveryOptions>? configure, Func<MintedToken, string> alterToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        ThrowIfDisposed();
        var options = new FakeDeliveryOptions();
        configure?.Invoke(options);
        return MintedToken.ToDelivery(eventName, options, alterToken(_minter.Mint(eventName, options, SigningKey)));
    }
}
