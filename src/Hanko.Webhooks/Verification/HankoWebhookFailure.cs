namespace Hanko.Webhooks;

/// <summary>Why a delivery was refused. Every reason except <see cref="None"/> means no handler ran.</summary>
public enum HankoWebhookFailure
{
    /// <summary>The delivery was verified.</summary>
    None = 0,

    /// <summary>The request body is not the JSON object <c>{"token": "…", "event": "…"}</c> Hanko sends.</summary>
    MalformedBody,

    /// <summary>The request body is larger than <see cref="HankoWebhookOptions.MaxBodyBytes"/>.</summary>
    BodyTooLarge,

    /// <summary>
    /// The token is not a well-formed signed JWT (wrong number of parts, bad base64url, bad header JSON, no <c>kid</c>,
    /// no <c>exp</c>, too long, bytes after the header or payload object, a claim that is not valid Unicode text, a payload
    /// nested deeper than 16,384 levels).
    /// </summary>
    MalformedToken,

    /// <summary>The token's <c>alg</c> is not <c>RS256</c>, what Hanko signs with (for example <c>none</c>, <c>HS256</c>, <c>RS512</c>), or does not match the key.</summary>
    UnsupportedAlgorithm,

    /// <summary>
    /// No key with the token's <c>kid</c> is in the JWKS, even after fetching it again (a fetch that started after the
    /// <c>kid</c> was first seen did not contain it), or the next fetch is further away than a delivery can wait.
    /// </summary>
    UnknownKey,

    /// <summary>The signature does not match the token: it was tampered with or signed by another key.</summary>
    BadSignature,

    /// <summary>The token's <c>exp</c> has passed (beyond <see cref="HankoWebhookOptions.ClockSkew"/>).</summary>
    Expired,

    /// <summary>The token's <c>iat</c> or <c>nbf</c> lies in the future (beyond <see cref="HankoWebhookOptions.ClockSkew"/>).</summary>
    NotYetValid,

    /// <summary>The token's <c>aud</c> does not contain <see cref="HankoWebhookOptions.Audience"/>.</summary>
    WrongAudience,

    /// <summary>
    /// The token is validly signed by Hanko but is not a webhook token: <c>sub</c> is not <c>hanko webhooks</c>, or it has
    /// a <c>session_id</c> claim, or <c>evt</c> or <c>data</c> is missing, or it lives longer than
    /// 15 minutes (Hanko's webhook tokens live 5).
    /// A Hanko session token (same key, same audience) is refused this way.
    /// </summary>
    NotWebhookToken,

    /// <summary>The unsigned <c>event</c> field of the body differs from the signed <c>evt</c> claim.</summary>
    EventMismatch,

    /// <summary>The signed <c>data</c> does not have the shape Hanko documents for the event.</summary>
    InvalidPayload,

    /// <summary>
    /// The token's key could not be checked: the JWKS could not be fetched and no keys are held, or the token names a key
    /// that is not held and the JWKS could not be fetched again (in time, or because too many deliveries already wait).
    /// </summary>
    KeysUnavailable,

    /// <summary>The request's <c>Content-Type</c> is missing or not <c>application/json</c> (a UTF-8 charset is fine).</summary>
    UnsupportedMediaType,

    /// <summary>The request body could not be read to its end (the connection broke, or the server refused the body's encoding).</summary>
    BodyUnreadable,
}
