namespace Hanko.Webhooks;

/// <summary>
/// Thrown by a handler to say that running it again cannot help (the event contradicts the app's data, a rule rejects it).
/// Durable processing (Hanko.Webhooks.Redis) then moves the delivery to the dead letters at once, with this exception's
/// message as the reason, instead of retrying it. Inline and in-memory background processing treat it like any other
/// handler failure.
/// </summary>
public class HankoDoNotRetryException : Exception
{
    /// <summary>Creates the exception.</summary>
    public HankoDoNotRetryException()
        : this("The handler asked not to retry this delivery.")
    {
    }

    /// <summary>Creates the exception with a reason (kept with the dead letter: never put secrets in it).</summary>
    /// <param name="message">Why retrying cannot help.</param>
    public HankoDoNotRetryException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a reason and the failure that caused it.</summary>
    /// <param name="message">Why retrying cannot help.</param>
    /// <param name="innerException">The cause.</param>
    public HankoDoNotRetryException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
