using System.Text.Json;
using System.Text.Json.Nodes;
using Hanko.Webhooks.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace Hanko.Webhooks.DevConsole.Internal;

/// <summary>The page and the JSON API of the console (the routes are listed in docs/dev-console.md).</summary>
internal sealed class ConsoleApi(string pattern, Lazy<HankoDevelopmentHanko> local, DeliveryLog log, ConsoleSender sender, ILogger logger)
{
    private static readonly Lazy<string> PageTemplate = new(() =>
    {
        using var stream = typeof(ConsoleApi).Assembly.GetManifestResourceStream("Hanko.Webhooks.DevConsole.console.html")
            ?? throw new InvalidOperationException("The console page is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>Maps the page and the API on <paramref name="group"/>, behind the one <see cref="ConsoleRequestGuard"/> of the group.</summary>
    public void Map(RouteGroupBuilder group)
    {
        group.AddEndpointFilter(new ConsoleRequestGuard(logger));
        group.MapGet("", PageAsync).WithDisplayName("Hanko development console");
        group.MapGet("/favicon.svg", IconAsync); // the page names it, so that the browser does not ask the app for /favicon.ico
        group.MapGet("/api/status", context => WriteAsync(context, 200, Status()));
        group.MapGet("/api/events", context => WriteAsync(context, 200, Events()));
        group.MapGet("/api/events/{name}/payload", PayloadAsync);
        group.MapPost("/api/send", SendAsync);
        group.MapGet("/api/deliveries", DeliveriesAsync);
        group.MapGet("/api/deliveries/{id:int}", context => DeliveryAsync(context, reveal: false));
        group.MapGet("/api/deliveries/{id:int}/payload", context => DeliveryAsync(context, reveal: true)).WithMetadata(ConsoleRequestGuard.PayloadReveal.Instance);
        group.MapDelete("/api/deliveries", context =>
        {
            log.Clear();
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        });
    }

    private JsonObject Status() => new()
    {
        ["canSign"] = local.Value.CanSign,
        ["mode"] = local.Value.CanSign ? "local" : "view-only",
        ["reason"] = local.Value.Reason,
        ["environment"] = local.Value.EnvironmentName,
        ["audience"] = local.Value.CanSign ? new JsonArray([.. local.Value.Hanko.Audiences.Select(a => (JsonNode?)JsonValue.Create(a))]) : null,
        ["webhookPaths"] = new JsonArray([.. sender.WebhookPaths().Select(p => (JsonNode?)JsonValue.Create(p))]),
        ["selfAddress"] = sender.SelfAddress()?.ToString(),
    };

    private static JsonObject Events() => new()
    {
        ["events"] = EventTree.Build(),
        ["forgeries"] = new JsonArray([.. Forgery.All.Select(f => (JsonNode?)new JsonObject { ["id"] = f.Id, ["title"] = f.Title, ["description"] = f.Description })]),
    };

    private Task PageAsync(HttpContext context)
    {
        var basePath = (context.Request.PathBase.Value + pattern).TrimEnd('/');
        var html = PageTemplate.Value
            .Replace("\"__CONSOLE_BASE__\"", JsonSerializer.Serialize(basePath, ConsoleJsonContext.Default.String), StringComparison.Ordinal)
            .Replace("__CONSOLE_ICON__", System.Net.WebUtility.HtmlEncode(basePath + "/favicon.svg"), StringComparison.Ordinal);
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers["Content-Security-Policy"] = "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; frame-ancestors 'none'";
        return context.Response.WriteAsync(html);
    }

    private static Task IconAsync(HttpContext context)
    {
        context.Response.ContentType = "image/svg+xml";
        context.Response.Headers.CacheControl = "max-age=86400";
        return context.Response.WriteAsync(Icon);
    }

    private const string Icon =
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 32 32\"><rect width=\"32\" height=\"32\" rx=\"7\" fill=\"#3b5bdb\"/>"
        + "<path d=\"M9 8v16M23 8v16M9 16h14\" stroke=\"#fff\" stroke-width=\"3.5\" stroke-linecap=\"round\"/></svg>";

    private static Task PayloadAsync(HttpContext context)
    {
        var name = (string)context.Request.RouteValues["name"]!;
        var variant = context.Request.Query["variant"].ToString();
        try
        {
            return WriteAsync(context, 200, FakeHanko.GetDefaultData(name, variant.Length == 0 ? null : variant));
        }
        catch (ArgumentException ex)
        {
            return WriteAsync(context, 404, ConsoleJson.Problem(404, "NoPayload", ex.Message));
        }
    }

    private async Task SendAsync(HttpContext context)
    {
        if (!IsJson(context.Request.ContentType))
        {
            // Also keeps other web pages out: a cross-site form or no-cors fetch cannot send application/json.
            await WriteAsync(context, 415, ConsoleJson.Problem(415, "UnsupportedMediaType", "Post the send request as application/json.")).ConfigureAwait(false);
            return;
        }

        JsonObject request;
        try
        {
            request = await JsonNode.ParseAsync(context.Request.Body, documentOptions: ConsoleJson.ReadOptions, cancellationToken: context.RequestAborted).ConfigureAwait(false) as JsonObject
                ?? throw new JsonException("The body is not a JSON object.");
        }
        catch (JsonException ex)
        {
            await WriteAsync(context, 400, ConsoleJson.Problem(400, "InvalidRequest", "The body must be a JSON object such as {\"event\":\"user.create\"}: " + ex.Message)).ConfigureAwait(false);
            return;
        }

        var problem = Read(request, out var eventName, out var variant, out var data, out var forgery, out var path);
        if (problem is not null)
        {
            await WriteAsync(context, 400, ConsoleJson.Problem(400, "InvalidRequest", problem)).ConfigureAwait(false);
            return;
        }

        if (!local.Value.CanSign)
        {
            await WriteAsync(context, 409, ConsoleJson.Problem(409, "CannotSign", "The console cannot sign deliveries: " + local.Value.Reason)).ConfigureAwait(false);
            return;
        }

        SendOutcome outcome;
        try
        {
            outcome = await sender.SendAsync(eventName!, variant, data, forgery, path, context.RequestAborted).ConfigureAwait(false);
        }
        catch (SendException ex)
        {
            await WriteAsync(context, ex.Status, ConsoleJson.Problem(ex.Status, "CannotSend", ex.Message)).ConfigureAwait(false);
            return;
        }
        catch (HttpRequestException ex)
        {
            await WriteAsync(context, 502, ConsoleJson.Problem(502, "DeliveryFailed", "Posting to the app's own endpoint failed: " + ex.Message)).ConfigureAwait(false);
            return;
        }

        await WriteAsync(context, 200, new JsonObject
        {
            ["sendId"] = outcome.Sent.SendId,
            ["kind"] = outcome.Sent.Kind,
            ["event"] = outcome.Sent.Event,
            ["target"] = outcome.Target.ToString(),
            ["status"] = outcome.Status,
            ["title"] = outcome.Title,
            ["delivery"] = outcome.Record is { } record ? ConsoleJson.Delivery(record, reveal: false) : null,
        }).ConfigureAwait(false);
    }

    private static string? Read(JsonObject request, out string? eventName, out string? variant, out JsonObject? data, out Forgery? forgery, out string? path)
    {
        eventName = Text(request, "event");
        variant = Text(request, "variant");
        path = Text(request, "path");
        var attack = Text(request, "attack");
        forgery = attack is null ? null : Forgery.Find(attack);
        data = request["data"] as JsonObject;

        if (string.IsNullOrEmpty(eventName) || eventName.Length > 200 || !eventName.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            return "\"event\" must be a Hanko event name such as \"user.create\" (see /api/events).";
        }

        if (request["data"] is { } given && given is not JsonObject)
        {
            return "\"data\" must be a JSON object (the event's payload), or left out for the default payload.";
        }

        if (attack is not null && forgery is null)
        {
            return $"Unknown \"attack\" '{attack}'. Known: {string.Join(", ", Forgery.All.Select(f => f.Id))}.";
        }

        return null;
    }

    private static string? Text(JsonObject o, string name) =>
        o[name] is JsonValue v && v.TryGetValue(out string? text) && text.Length > 0 ? text : null;

    private Task DeliveriesAsync(HttpContext context)
    {
        var after = int.TryParse(context.Request.Query["after"], out var a) ? a : 0;
        var list = new JsonArray([.. log.Snapshot().Where(r => r.Id > after).Select(r => (JsonNode?)ConsoleJson.Delivery(r, reveal: false))]);
        return WriteAsync(context, 200, new JsonObject { ["deliveries"] = list, ["capacity"] = DeliveryLog.Capacity });
    }

    private Task DeliveryAsync(HttpContext context, bool reveal)
    {
        var id = int.Parse((string)context.Request.RouteValues["id"]!, System.Globalization.CultureInfo.InvariantCulture);
        return log.Find(id) is { } record
            ? WriteAsync(context, 200, ConsoleJson.Delivery(record, reveal))
            : WriteAsync(context, 404, ConsoleJson.Problem(404, "NotFound", $"No delivery {id} (the console keeps the last {DeliveryLog.Capacity})."));
    }

    internal static Task WriteAsync(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = status >= 400 ? "application/problem+json" : "application/json";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync(body.ToJsonString(ConsoleJson.WriteOptions));
    }

    private static bool IsJson(string? contentType) =>
        contentType is not null && MediaTypeHeaderValue.TryParse(contentType, out var media)
        && media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);
}
