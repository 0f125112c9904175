namespace Hanko.Webhooks.Testing;

/// <summary>How the handlers from <see cref="FakeHanko.CreateJwksHandler"/> answer, to test a verifier's JWKS failure handling.</summary>
public enum FakeJwksBehavior
{
    /// <summary>Answer <c>200 OK</c> with the published keys and <c>Cache-Control: max-age</c>, like Hanko.</summary>
    Normal = 0,

    /// <summary>Answer <c>500 Internal Server Error</c>.</summary>
    ServerError,

    /// <summary>Answer <c>200 OK</c> with a body that is not JSON.</summary>
    InvalidJson,

    /// <summary>Never answer; the request completes only when it is cancelled (for example by <see cref="HttpClient.Timeout"/>).</summary>
    Hang,

    /// <summary>Answer <c>200 OK</c> with <c>{"keys":[]}</c>.</summary>
    Empty,
}
