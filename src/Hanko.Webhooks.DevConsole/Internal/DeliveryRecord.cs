using System.Text.Json.Nodes;

namespace Hanko.Webhooks.DevConsole.Internal;

/// <summary>One delivery an endpoint of this app received, as the SDK's spans (and its handler-failure log) describe it.</summary>
internal sealed class DeliveryRecord(DeliveryLog owner, int id, DateTimeOffset time, string path, string? sendId)
{
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public DeliveryLog Owner { get; } = owner;

    public int Id { get; } = id;

    public DateTimeOffset Time { get; } = time;

    public string Path { get; } = path;

    /// <summary>Set when the console sent this delivery (the id of its send).</summary>
    public string? SendId { get; } = sendId;

    public string? Event { get; set; }

    public string? Outcome { get; set; }

    public int? Status { get; set; }

    public string? Failure { get; set; }

    public string? DeliveryId { get; set; }

    public string? ErrorType { get; set; }

    public double? DurationMs { get; set; }

    /// <summary>What the console sent (kind and data), when it sent this delivery.</summary>
    public SentDelivery? Sent { get; set; }

    /// <summary>Why it was refused, from the core's log (what the answer's problem detail says).</summary>
    public string? Detail { get; set; }

    /// <summary>The handlers that ran inline, within the request.</summary>
    public List<HandlerRun> Handlers { get; } = [];

    /// <summary>The runs of a handed-off (accepted) delivery on the worker, in the order they ended.</summary>
    public List<HandedOffRun> Attempts { get; } = [];

    public Task Completed => _completed.Task;

    public void Complete() => _completed.TrySetResult();
}

/// <summary>One run of a handed-off delivery on the worker (<c>hanko.webhooks.handed_off</c>), and what the worker did after it.</summary>
internal sealed class HandedOffRun(DateTimeOffset time)
{
    public DateTimeOffset Time { get; } = time;

    public string? DeliveryId { get; set; }

    public int? Attempt { get; set; }

    /// <summary>What the run did: <c>handled</c>, <c>handler_failed</c> or <c>refused</c> (data the SDK cannot read).</summary>
    public string? Outcome { get; set; }

    public string? Failure { get; set; }

    public string? ErrorType { get; set; }

    /// <summary>What the worker did after it (durable processing): <c>handled</c>, <c>retry</c>, <c>dead_lettered</c>, <c>abandoned</c>.</summary>
    public string? WorkerOutcome { get; set; }

    /// <summary>When the scheduled retry is due (ISO 8601 UTC), with <see cref="WorkerOutcome"/> <c>retry</c>.</summary>
    public string? RetryDue { get; set; }

    public double DurationMs { get; set; }

    public List<HandlerRun> Handlers { get; } = [];
}

/// <summary>One handler call of a delivery.</summary>
internal sealed class HandlerRun(string name, string? outcome, double durationMs, string? errorType)
{
    public string Name { get; } = name;

    public string? Outcome { get; set; } = outcome;

    public double DurationMs { get; } = durationMs;

    public string? ErrorType { get; set; } = errorType;

    /// <summary>The exception's message (development only; spans never carry it, the dispatcher's log does).</summary>
    public string? ErrorMessage { get; set; }
}

/// <summary>What the console minted for one send.</summary>
internal sealed record SentDelivery(string SendId, string Kind, string Event, JsonNode? Data);
