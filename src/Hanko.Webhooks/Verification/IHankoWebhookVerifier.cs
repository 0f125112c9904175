namespace Hanko.Webhooks;

/// <summary>
/// Turns a Hanko webhook delivery into a verified, typed <see cref="HankoEvent"/>, or a failure with a reason.
/// Host-agnostic: use it from ASP.NET Core, Azure Functions, a queue consumer or a test.
/// </summary>
public interface IHankoWebhookVerifier
{
    /// <summary>Verifies a request body <c>{"token": "…", "event": "…"}</c>.</summary>
    /// <param name="body">The raw UTF-8 request body.</param>
    /// <param name="cancellationToken">Cancels waiting for a JWKS fetch.</param>
    /// <returns>The verified event or the failure.</returns>
    ValueTask<HankoVerificationResult> VerifyAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default);

    /// <summary>Verifies a bare token (the <c>token</c> field of a delivery), for example one taken from a queue message.</summary>
    /// <param name="token">The compact JWS.</param>
    /// <param name="bodyEvent">The unsigned <c>event</c> field that came with it, if any; it must then equal the signed <c>evt</c>.</param>
    /// <param name="cancellationToken">Cancels waiting for a JWKS fetch.</param>
    /// <returns>The verified event or the failure.</returns>
    ValueTask<HankoVerificationResult> VerifyTokenAsync(string token, string? bodyEvent = null, CancellationToken cancellationToken = default);
}
