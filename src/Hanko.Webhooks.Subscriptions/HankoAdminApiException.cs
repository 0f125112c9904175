using System.Net;

namespace Hanko.Webhooks;

/// <summary>
/// A call to Hanko's Admin API failed: Hanko answered with an error (<see cref="StatusCode"/>, and Hanko's own
/// <see cref="HankoCode"/> and <see cref="HankoMessage"/> from its <c>{"code", "message"}</c> body), or the server could
/// not be reached (<see cref="StatusCode"/> is <see langword="null"/>). The message never holds the API key.
/// </summary>
public sealed class HankoAdminApiException : Exception
{
    /// <summary>Creates an exception with a message only.</summary>
    public HankoAdminApiException()
        : this("Hanko's Admin API call failed.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What failed.</param>
    public HankoAdminApiException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public HankoAdminApiException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for an error answer.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="statusCode">The HTTP status Hanko answered with.</param>
    /// <param name="hankoCode">The <c>code</c> of Hanko's error body.</param>
    /// <param name="hankoMessage">The <c>message</c> of Hanko's error body.</param>
    public HankoAdminApiException(string message, HttpStatusCode? statusCode, int? hankoCode, string? hankoMessage)
        : base(message)
    {
        StatusCode = statusCode;
        HankoCode = hankoCode;
        HankoMessage = hankoMessage;
    }

    /// <summary>The HTTP status of the answer; <see langword="null"/> when no answer came (network error, timeout).</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The <c>code</c> of Hanko's error body, when there was one.</summary>
    public int? HankoCode { get; }

    /// <summary>The <c>message</c> of Hanko's error body (for example <c>callback is a required field</c>), when there was one.</summary>
    public string? HankoMessage { get; }

    /// <summary>The sent event names Hanko's validation refused (<c>events[i]</c> in a 400 answer): names this server does not know.</summary>
    internal IReadOnlyList<string> RefusedEventNames { get; init; } = [];
}
