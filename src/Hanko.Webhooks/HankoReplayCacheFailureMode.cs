namespace Hanko.Webhooks;

/// <summary>
/// What the replay guard does with a verified delivery when the cache behind it (<c>IDistributedCache</c>: Redis, or the
/// in-memory default) throws or does not answer within 2 seconds.
/// </summary>
public enum HankoReplayCacheFailureMode
{
    /// <summary>
    /// Dispatch the event without the cross-instance check (the in-process check still applies). No event is lost; a
    /// duplicate that arrives while the cache is down may be dispatched a second time. The default.
    /// </summary>
    FailOpen = 0,

    /// <summary>
    /// Do not dispatch; the ASP.NET Core endpoint answers <c>503</c>. No duplicate slips through, but Hanko records a failed
    /// delivery and never retries it, so the event is lost (and six failures in a row disable a Hanko database hook).
    /// </summary>
    FailClosed = 1,
}
