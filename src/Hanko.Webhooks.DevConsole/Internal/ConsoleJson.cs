using System.Text.Json;
using System.Text.Json.Nodes;

namespace Hanko.Webhooks.DevConsole.Internal;

/// <summary>The JSON shapes of the console's API (built as nodes: no reflection, trimming-safe).</summary>
internal static class ConsoleJson
{
    /// <summary>
    /// Reads a send request: its <c>data</c> sits one level down, as in a token's payload, so the verifier's limit lets in
    /// every payload the endpoint accepts (an end user's metadata may nest ~1,500 levels; the default is 64).
    /// </summary>
    public static readonly JsonDocumentOptions ReadOptions = new() { MaxDepth = HankoEventParts.MaxDataDepth };

    /// <summary>Writes the answers: a payload sits at most two levels deeper there (<c>deliveries[i].payload</c>) than in a token.</summary>
    public static readonly JsonSerializerOptions WriteOptions = new() { MaxDepth = HankoEventParts.MaxDataDepth + 2 };

    public static JsonObject Delivery(DeliveryRecord r, bool reveal)
    {
        lock (r.Owner.Gate)
        {
            return new JsonObject
            {
                ["id"] = r.Id,
                ["time"] = Time(r.Time),
                ["path"] = r.Path,
                ["event"] = r.Event,
                ["outcome"] = r.Outcome ?? "in progress",
                ["status"] = r.Status,
                ["failure"] = r.Failure,
                ["detail"] = r.Detail,
                ["deliveryId"] = r.DeliveryId,
                ["errorType"] = r.ErrorType,
                ["durationMs"] = r.DurationMs is { } d ? Math.Round(d, 3) : null,
                ["handlers"] = Handlers(r.Handlers),
                ["processing"] = Processing(r),
                ["attempts"] = new JsonArray([.. r.Attempts.Select(a => (JsonNode?)Attempt(a))]),
                ["sent"] = r.Sent is { } s ? new JsonObject { ["sendId"] = s.SendId, ["kind"] = s.Kind, ["event"] = s.Event } : null,
                ["hasPayload"] = r.Sent?.Data is not null,
                ["payloadMasked"] = r.Sent?.Data is not null && !reveal,
                ["payload"] = r.Sent?.Data is { } data ? (reveal ? data.DeepClone() : PayloadMask.Mask(data)) : null,
            };
        }
    }

    /// <summary>
    /// Where a handed-off (accepted) delivery stands: <c>waiting</c> for its first run, then what its last run and the worker did
    /// (<c>handled</c>, <c>handler_failed</c>, <c>retry</c>, <c>dead_lettered</c>, <c>abandoned</c>, <c>refused</c>);
    /// <c>dead_lettered</c> at once when it was stored as unprocessable. <see langword="null"/> for a delivery handled inline.
    /// </summary>
    private static string? Processing(DeliveryRecord r) =>
        r.Outcome != "accepted" ? null
        : r.Attempts.Count > 0 ? r.Attempts[^1].WorkerOutcome ?? r.Attempts[^1].Outcome ?? "failed"
        : r.Failure is not null ? "dead_lettered"
        : "waiting";

    private static JsonObject Attempt(HandedOffRun a) => new()
    {
        ["attempt"] = a.Attempt,
        ["time"] = Time(a.Time),
        ["durationMs"] = Math.Round(a.DurationMs, 3),
        ["outcome"] = a.Outcome,
        ["failure"] = a.Failure,
        ["errorType"] = a.ErrorType,
        ["handlers"] = Handlers(a.Handlers),
        ["workerOutcome"] = a.WorkerOutcome,
        ["retryDue"] = a.RetryDue,
    };

    private static JsonArray Handlers(List<HandlerRun> runs) =>
        new([.. runs.Select(h => (JsonNode?)new JsonObject
        {
            ["name"] = h.Name,
            ["outcome"] = h.Outcome,
            ["durationMs"] = Math.Round(h.DurationMs, 3),
            ["errorType"] = h.ErrorType,
            ["errorMessage"] = h.ErrorMessage,
        })]);

    private static string Time(DateTimeOffset time) => time.ToString("O", System.Globalization.CultureInfo.InvariantCulture);

    public static JsonObject Problem(int status, string title, string detail) => new()
    {
        ["type"] = "about:blank",
        ["status"] = status,
        ["title"] = title,
        ["detail"] = detail,
    };
}
