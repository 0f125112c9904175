namespace Hanko.Webhooks;

/// <summary>What one catch-up run (<see cref="IHankoCatchUp.RunAsync"/>) found and handed over.</summary>
public sealed class HankoCatchUpResult
{
    internal HankoCatchUpResult(DateTimeOffset windowStart, DateTimeOffset windowEnd, int auditLogEntries, int usersFound, int handedOver, int alreadyHandedOver, int failed, int adminApiRequests)
    {
        WindowStart = windowStart;
        WindowEnd = windowEnd;
        AuditLogEntries = auditLogEntries;
        UsersFound = usersFound;
        HandedOver = handedOver;
        AlreadyHandedOver = alreadyHandedOver;
        Failed = failed;
        AdminApiRequests = adminApiRequests;
    }

    /// <summary>The start of the window (exclusive), in UTC.</summary>
    public DateTimeOffset WindowStart { get; }

    /// <summary>The end of the window (exclusive), in UTC.</summary>
    public DateTimeOffset WindowEnd { get; }

    /// <summary>The audit log entries of the window that change a user.</summary>
    public int AuditLogEntries { get; }

    /// <summary>The users those entries name, and the users created in the window.</summary>
    public int UsersFound { get; }

    /// <summary>The users handed over by this run (dispatched with every handler succeeding, or taken by the hand-off).</summary>
    public int HandedOver { get; }

    /// <summary>The users an earlier run of the same window had handed over already.</summary>
    public int AlreadyHandedOver { get; }

    /// <summary>
    /// The users not handed over: a handler failed (inline), the hand-off declined, or Hanko's user did not fit the SDK's
    /// model. Each is logged; run the same window again to hand them over.
    /// </summary>
    public int Failed { get; }

    /// <summary>The Admin API requests the run made.</summary>
    public int AdminApiRequests { get; }
}
