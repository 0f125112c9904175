using System.Text.Json.Nodes;

namespace Hanko.Webhooks.Testing;

/// <summary>
/// Everything a test may change about a delivery before it is signed. The defaults produce exactly what Hanko sends.
/// Passed to the <c>configure</c> callback of <see cref="FakeHanko.CreateDelivery"/>.
/// </summary>
public sealed class FakeDeliveryOptions
{
    internal FakeDeliveryOptions()
    {
    }

    /// <summary>The <c>data</c> claim. The fake signs a copy, so the node may be reused.</summary>
    /// <value>
    /// The default is <see langword="null"/>: the realistic default payload of the event (see <see cref="FakeHanko.GetDefaultData"/>
    /// and <see cref="Variant"/>) with its times following the token's issue time, or <c>{}</c> for an event name the fake has no
    /// payload for. Data set here is signed as it is, times included.
    /// To send <c>"data":null</c>, set <c>ExtraClaims["data"] = null</c>; to leave the claim out, set <see cref="OmitData"/>.
    /// </value>
    public JsonNode? Data { get; set; }

    /// <summary>Whether to leave the <c>data</c> claim out of the token.</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool OmitData { get; set; }

    /// <summary>
    /// Which payload to use as the default <see cref="Data"/>, for events with several shapes: a full payload name from
    /// <see cref="FakeHanko.PayloadNames"/> such as <c>email.send.security_notification.email_create</c>, or the part after the
    /// event name such as <c>recovery</c>.
    /// </summary>
    /// <value>The default is <see langword="null"/>: the event's main payload (<c>email.send.passcode</c> for <c>email.send</c>).</value>
    public string? Variant { get; set; }

    /// <summary>A convenient way to change the default payload (or a copy of <see cref="Data"/>) before signing.</summary>
    /// <value>The default is <see langword="null"/>. Ignored when the payload is not a JSON object.</value>
    public Action<JsonObject>? EditData { get; set; }

    /// <summary>The <c>iat</c> claim; <c>exp</c> is <c>iat + </c><see cref="Lifetime"/>. Both are written as whole Unix seconds.</summary>
    /// <value>The default is <see langword="null"/>: the fake's <see cref="FakeHanko.TimeProvider"/> now, truncated to seconds (as jwx does).</value>
    public DateTimeOffset? IssuedAt { get; set; }

    /// <summary>The time from <c>iat</c> to <c>exp</c>. May be negative. Sub-second parts are dropped.</summary>
    /// <value>The default is 5 minutes, as Hanko's.</value>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The <c>aud</c> claim, always written as an array (as Hanko does). To send a plain string, use <see cref="ExtraClaims"/>.</summary>
    /// <value>The default is <see langword="null"/>: the fake's <see cref="FakeHanko.Audiences"/>.</value>
    public IReadOnlyList<string>? Audience { get; set; }

    /// <summary>The <c>sub</c> claim, or <see langword="null"/> to leave it out.</summary>
    /// <value>The default is <c>"hanko webhooks"</c>, the literal Hanko sends.</value>
    public string? Subject { get; set; } = FakeHanko.WebhookSubject;

    /// <summary>The <c>evt</c> claim (the signed event name).</summary>
    /// <value>The default is <see langword="null"/>: the event name passed to <see cref="FakeHanko.CreateDelivery"/>.</value>
    public string? EventClaim { get; set; }

    /// <summary>Whether to leave the <c>evt</c> claim out of the token.</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool OmitEventClaim { get; set; }

    /// <summary>The <c>event</c> field of the body, which the signature does not cover.</summary>
    /// <value>The default is <see langword="null"/>: the event name passed to <see cref="FakeHanko.CreateDelivery"/>.</value>
    public string? BodyEvent { get; set; }

    /// <summary>Whether to leave the <c>event</c> field out of the body (the body is then <c>{"token":"…"}</c>).</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool OmitBodyEvent { get; set; }

    /// <summary>
    /// The JWS algorithm: <c>RS256</c>, <c>RS384</c>, <c>RS512</c>, <c>PS256</c>, <c>PS384</c>, <c>PS512</c> (signed with <see cref="Key"/>),
    /// <c>none</c> (empty signature) or <c>HS256</c> (HMAC-SHA256 keyed with the big-endian bytes of <see cref="Key"/>'s public modulus,
    /// that is the base64url-decoded <c>n</c> of its JWK: the classic RSA/HMAC key-confusion attack).
    /// </summary>
    /// <value>The default is <c>RS256</c>, the only algorithm Hanko uses.</value>
    public string Algorithm { get; set; } = "RS256";

    /// <summary>The key that signs the token. An unpublished key gives an "unknown key" delivery.</summary>
    /// <value>The default is <see langword="null"/>: the fake's <see cref="FakeHanko.SigningKey"/>.</value>
    public FakeHankoKey? Key { get; set; }

    /// <summary>A <c>kid</c> header to write instead of the signing key's id.</summary>
    /// <value>The default is <see langword="null"/>: the signing key's <see cref="FakeHankoKey.KeyId"/>.</value>
    public string? KeyIdOverride { get; set; }

    /// <summary>Whether to leave the <c>kid</c> header out (Hanko always sends it).</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool OmitKeyId { get; set; }

    /// <summary>
    /// Claims to add to the token, or to replace a standard claim with (for example <c>ExtraClaims["aud"] = "localhost"</c> for a
    /// flattened audience, or <c>ExtraClaims["exp"] = "soon"</c>). Strings, numbers and booleans convert to <see cref="JsonNode"/> implicitly;
    /// a <see langword="null"/> value writes JSON <c>null</c>. All claims are written sorted by name, as jwx does.
    /// </summary>
    public IDictionary<string, JsonNode?> ExtraClaims { get; } = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);

    /// <summary>
    /// Header parameters to add, or to replace <c>alg</c>, <c>kid</c> or <c>typ</c> with (the signature is computed with
    /// <see cref="Algorithm"/> regardless). Written sorted by name.
    /// </summary>
    public IDictionary<string, JsonNode?> ExtraHeader { get; } = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
}
