namespace Hanko.Webhooks.Verification;

/// <summary>A JWKS fetch that failed for a reason the SDK words itself; <see cref="Result"/> is its <c>hanko.webhook.jwks.result</c>.</summary>
internal sealed class JwksFetchException : Exception
{
    public JwksFetchException(string message, string result, Exception? inner = null)
        : base(message, inner)
    {
        Result = result;
    }

    public string Result { get; }
}
