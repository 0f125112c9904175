using System.Collections;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Hanko.Webhooks;

/// <summary>
/// A response writer for ASP.NET Core health checks that says what the checks found, where the default writes a bare
/// <c>Healthy</c>: <c>app.MapHealthChecks("/healthz", new() { ResponseWriter = HankoWebhooksHealthChecks.WriteJsonResponse })</c>.
/// </summary>
public static class HankoWebhooksHealthChecks
{
    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Writes <paramref name="report"/> as JSON: the overall <c>status</c> and <c>totalDurationMs</c>, and under <c>entries</c>
    /// each check by name with its <c>status</c>, <c>description</c>, <c>durationMs</c>, <c>data</c> (the Hanko checks put
    /// <c>keyCount</c>, <c>hookId</c>, <c>failures</c>, <c>missingSubscriptions</c>, … there) and, when it threw, the exception's
    /// type as <c>error</c> (never its message: it may hold a connection string). The status code stays the health check
    /// middleware's (503 when Unhealthy).
    /// </summary>
    /// <param name="context">The request's context.</param>
    /// <param name="report">The health report to write.</param>
    /// <returns>A task that completes when the response is written.</returns>
    public static async Task WriteJsonResponse(HttpContext context, HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(report);
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        var json = new Utf8JsonWriter(context.Response.Body, Options);
        await using var _ = json.ConfigureAwait(false);
        json.WriteStartObject();
        json.WriteString("status", report.Status.ToString());
        json.WriteNumber("totalDurationMs", Math.Round(report.TotalDuration.TotalMilliseconds, 3));
        json.WriteStartObject("entries");
        foreach (var (name, entry) in report.Entries)
        {
            json.WriteStartObject(name);
            json.WriteString("status", entry.Status.ToString());
            json.WriteString("description", entry.Description);
            json.WriteNumber("durationMs", Math.Round(entry.Duration.TotalMilliseconds, 3));
            json.WriteStartObject("data");
            foreach (var (key, value) in entry.Data)
            {
                json.WritePropertyName(key);
                WriteValue(json, value, depth: 0);
            }

            json.WriteEndObject();
            if (entry.Exception is { } exception)
            {
                json.WriteString("error", exception.GetType().FullName);
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static void WriteValue(Utf8JsonWriter json, object? value, int depth)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case string s:
                json.WriteStringValue(s);
                break;
            case bool b:
                json.WriteBooleanValue(b);
                break;
            case int or long or short or byte or uint or ushort or sbyte:
                json.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case ulong u:
                json.WriteNumberValue(u);
                break;
            case decimal m:
                json.WriteNumberValue(m);
                break;
            case double or float:
                // JSON has no NaN or infinity: those are written as their names, as strings.
                var d = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                if (double.IsFinite(d))
                {
                    json.WriteNumberValue(d);
                }
                else
                {
                    json.WriteStringValue(d.ToString(CultureInfo.InvariantCulture));
                }

                break;
            case DateTimeOffset t:
                json.WriteStringValue(t);
                break;
            case DateTime t:
                json.WriteStringValue(t);
                break;
            case TimeSpan t:
                json.WriteStringValue(t.ToString("c", CultureInfo.InvariantCulture));
                break;
            case Guid g:
                json.WriteStringValue(g);
                break;
            case IEnumerable list when depth < 4:
                json.WriteStartArray();
                foreach (var item in list)
                {
                    WriteValue(json, item, depth + 1);
                }

                json.WriteEndArray();
                break;
            default:
                json.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }
}
