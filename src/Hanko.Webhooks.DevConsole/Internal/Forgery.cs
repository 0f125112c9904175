using Hanko.Webhooks.Testing;

namespace Hanko.Webhooks.DevConsole.Internal;

/// <summary>An attack the console can send: one of the deliberately broken deliveries <see cref="FakeHanko"/> mints.</summary>
internal sealed record Forgery(string Id, string Title, string Description, Func<FakeHanko, string, Action<FakeDeliveryOptions>?, HankoDelivery> Create)
{
    /// <summary>Whether the forged token carries the payload at all (a session token has no <c>data</c>).</summary>
    public bool CarriesData => Id != "session-token";

    public static IReadOnlyList<Forgery> All { get; } =
    [
        new("session-token", "Stolen session token", "A Hanko session JWT (same key, same audience) posted as a webhook.", (h, e, c) => h.CreateSessionTokenDelivery(e, c)),
        new("expired", "Expired", "A genuine delivery whose exp passed an hour ago.", (h, e, c) => h.CreateExpiredDelivery(e, c)),
        new("not-yet-valid", "Issued in the future", "iat an hour from now.", (h, e, c) => h.CreateNotYetValidDelivery(e, c)),
        new("wrong-audience", "Wrong audience", "Correctly signed, for another Hanko project.", (h, e, c) => h.CreateWrongAudienceDelivery(e, c)),
        new("alg-none", "alg none", "Unsigned: header alg none, empty signature.", (h, e, c) => h.CreateAlgNoneDelivery(e, c)),
        new("hs256-public-key", "HS256 with the public key", "The RSA/HMAC key-confusion attack.", (h, e, c) => h.CreateHs256WithPublicKeyDelivery(e, c)),
        new("unknown-key", "Unknown key", "Signed by an RSA key Hanko never published.", (h, e, c) => h.CreateUnknownKeyDelivery(e, c)),
        new("tampered-payload", "Tampered payload", "data changed after signing.", (h, e, c) => h.CreateTamperedPayloadDelivery(e, c)),
        new("tampered-signature", "Tampered signature", "One bit of the signature flipped.", (h, e, c) => h.CreateTamperedSignatureDelivery(e, c)),
        new("truncated", "Truncated token", "The token cut off in its payload.", (h, e, c) => h.CreateTruncatedDelivery(e, c)),
        new("event-mismatch", "Event mismatch", "The unsigned body names another event than the signed evt.", (h, e, c) => h.CreateEventMismatchDelivery(e, c)),
    ];

    public static Forgery? Find(string id) => All.FirstOrDefault(f => f.Id == id);
}
