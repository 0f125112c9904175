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
        var handlers = new JsonArray();
        foreach (var h in r.Handlers.ToArray())
        {
            handlers.Add((JsonNode)new JsonObject
            {
                ["name"] = h.Name,
                ["outcome"] = h.Outcome,
                ["durationMs"] = Math.Round(h.DurationMs, 3),
                ["errorType"] = h.ErrorType,
                ["errorMessage"] = h.ErrorMessage,
            });
        }

        return new JsonObject
        {
            ["id"] = r.Id,
            ["time"] = r.Time.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["path"] = r.Path,
            ["event"] = r.Event,
            ["outcome"] = r.Outcome ?? "in progress",
            ["status"] = r.Status,
            ["failure"] = r.Failure,
            ["deliveryId"] = r.DeliveryId,
            ["errorType"] = r.ErrorType,
            ["durationMs"] = r.DurationMs is { } d ? Math.Round(d, 3) : null,
            ["handlers"] = handlers,
            ["sent"] = r.Sent is { } s ? new JsonObject { ["sendId"] = s.SendId, ["kind"] = s.Kind, ["event"] = s.Event } : null,
            ["hasPayload"] = r.Sent?.Data is not null,
            ["payloadMasked"] = r.Sent?.Data is not null && !reveal,
            ["payload"] = r.Sent?.Data is { } data ? (reveal ? data.DeepClone() : PayloadMask.Mask(data)) : null,
        };
    }

    public static JsonObject Problem(int status, string title, string detail) => new()
    {
        ["type"] = "about:blank",
        ["status"] = status,
        ["title"] = title,
        ["detail"] = detail,
    };
}
