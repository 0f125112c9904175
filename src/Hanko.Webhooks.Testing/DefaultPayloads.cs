using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Hanko.Webhooks.Testing;

/// <summary>The realistic <c>data</c> payloads embedded from <c>Payloads/*.json</c> (decoded claims of real-shaped Hanko tokens).</summary>
internal static partial class DefaultPayloads
{
    private const string Prefix = "Hanko.Webhooks.Testing.Payloads.";
    private const string Suffix = ".json";
    private const string SecondsFormat = "yyyy-MM-dd'T'HH:mm:ss";

    private static readonly ConcurrentDictionary<string, Payload> Cache = new(StringComparer.Ordinal);

    public static IReadOnlyList<string> Names { get; } = typeof(DefaultPayloads).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(Suffix, StringComparison.Ordinal))
        .Select(n => n[Prefix.Length..^Suffix.Length])
        .Order(StringComparer.Ordinal)
        .ToArray();

    /// <summary>The payload name for an event and an optional variant, or <see langword="null"/> when there is none.</summary>
    public static string? Resolve(string eventName, string? variant)
    {
        if (variant is not null)
        {
            var full = variant.StartsWith(eventName + ".", StringComparison.Ordinal) || variant == eventName
                ? variant
                : eventName + "." + variant;
            return Names.Contains(full, StringComparer.Ordinal) ? full : null;
        }

        var name = eventName == "email.send" ? "email.send.passcode" : eventName;
        return Names.Contains(name, StringComparer.Ordinal) ? name : null;
    }

    /// <summary>The payload name for an event and an optional variant.</summary>
    /// <exception cref="ArgumentException">There is none.</exception>
    public static string NameOf(string eventName, string? variant)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        return Resolve(eventName, variant)
            ?? throw new ArgumentException(
                $"There is no payload for event '{eventName}'{(variant is null ? "" : $" variant '{variant}'")}. Known payloads: {string.Join(", ", Names)}.",
                variant is null ? nameof(eventName) : nameof(variant));
    }

    /// <summary>A fresh, mutable copy of the <c>data</c> of a payload (key order as in the file), with the file's own times.</summary>
    public static JsonObject Load(string payloadName) => JsonNode.Parse(Get(payloadName).DataText)!.AsObject();

    /// <summary>
    /// A fresh, mutable copy of the <c>data</c> of a payload as if its token had been issued at <paramref name="issuedAt"/>: every
    /// time in it (the RFC 3339 <c>created_at</c>, <c>updated_at</c>, <c>expires_at</c>, … and the Unix-seconds
    /// <c>valid_until</c>) is moved by the same whole number of seconds, so that it keeps its distance to the token's <c>iat</c>
    /// and its exact shape (the fractional digits stay as they are).
    /// </summary>
    public static JsonObject Load(string payloadName, DateTimeOffset issuedAt)
    {
        var payload = Get(payloadName);
        var shift = issuedAt.ToUnixTimeSeconds() - payload.IssuedAt;
        if (shift == 0)
        {
            return JsonNode.Parse(payload.DataText)!.AsObject();
        }

        var text = Rfc3339Utc().Replace(payload.DataText, m =>
        {
            var at = DateTime.ParseExact(m.Groups["seconds"].Value, SecondsFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
            return "\"" + at.AddSeconds(shift).ToString(SecondsFormat, CultureInfo.InvariantCulture) + m.Groups["fraction"].Value + "Z\"";
        });
        text = ValidUntil().Replace(text, m => m.Groups["name"].Value + (long.Parse(m.Groups["seconds"].Value, CultureInfo.InvariantCulture) + shift).ToString(CultureInfo.InvariantCulture));
        return JsonNode.Parse(text)!.AsObject();
    }

    private static Payload Get(string payloadName) => Cache.GetOrAdd(payloadName, static name =>
    {
        using var stream = typeof(DefaultPayloads).Assembly.GetManifestResourceStream(Prefix + name + Suffix)
            ?? throw new InvalidOperationException($"The embedded payload '{name}' is missing.");
        using var document = JsonDocument.Parse(stream);
        return new Payload(document.RootElement.GetProperty("data").GetRawText(), document.RootElement.GetProperty("iat").GetInt64());
    });

    /// <summary>A JSON string that is a UTC time as Go's <c>time.Time</c> marshals it (RFC 3339, trailing zeros of the fraction dropped).</summary>
    [GeneratedRegex("\"(?<seconds>[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2})(?<fraction>\\.[0-9]{1,9})?Z\"", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339Utc();

    /// <summary>The passcode mail's <c>valid_until</c>, Unix seconds (the payloads' only time that is a number).</summary>
    [GeneratedRegex("(?<name>\"valid_until\"\\s*:\\s*)(?<seconds>[0-9]+)", RegexOptions.CultureInvariant)]
    private static partial Regex ValidUntil();

    /// <summary>A payload's <c>data</c> as text and the <c>iat</c> of the token it was decoded from.</summary>
    private sealed record Payload(string DataText, long IssuedAt);
}
