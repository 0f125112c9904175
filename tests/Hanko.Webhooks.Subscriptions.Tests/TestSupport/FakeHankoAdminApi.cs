using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Hanko.Webhooks.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hanko.Webhooks.Subscriptions.Tests.TestSupport;

/// <summary>
/// Hanko's Admin API webhook routes on a real Kestrel (127.0.0.1), written to what Hanko's Go source does
/// (<c>backend/handler/webhook.go</c>, <c>backend/dto/admin/webhook.go</c>, <c>backend/dto/validator.go</c>,
/// <c>backend/dto/error_handler.go</c>, <c>backend/webhooks/database_hook.go</c> and <c>worker.go</c>), including the
/// deliveries: <see cref="TriggerAsync"/> posts signed deliveries to the hooks' callbacks and counts failures as Hanko does.
/// </summary>
internal sealed partial class FakeHankoAdminApi : IAsyncDisposable
{
    /// <summary>Hanko's <c>webhooks.WebhookExpireDuration</c>.</summary>
    public static readonly TimeSpan ExpireDuration = TimeSpan.FromDays(30);

    /// <summary>Hanko's <c>FailureExpireRate</c>: a hook is disabled when <c>failures</c> passes it.</summary>
    public const int FailureExpireRate = 5;

    private readonly object _lock = new();
    private readonly List<Hook> _hooks = [];
    private readonly List<(string Callback, string[] Events)> _configHooks = [];
    private readonly List<RecordedRequest> _requests = [];
    private readonly WebApplication _app;
    private readonly FakeHanko _signer;
    private readonly HttpClient _deliveryClient = new() { Timeout = TimeSpan.FromSeconds(10) };
    private int _failNext;
    private HttpStatusCode _failStatus;

    private FakeHankoAdminApi(WebApplication app, FakeHanko signer)
    {
        _app = app;
        _signer = signer;
    }

    /// <summary>The event names this Hanko accepts in subscriptions (<c>events.StringIsValidEvent</c>); the SDK's names by default.</summary>
    public HashSet<string> ValidEvents { get; } = new(typeof(HankoEventNames).GetFields().Select(f => (string)f.GetValue(null)!), StringComparer.Ordinal);

    /// <summary>When set, a request without <c>Authorization: Bearer {key}</c> is answered 401 (Hanko Cloud's gateway; inferred).</summary>
    public string? RequiredApiKey { get; set; }

    /// <summary>Hanko's <c>webhooks.allow_time_expiration</c>.</summary>
    public bool AllowTimeExpiration { get; set; }

    /// <summary>Models teamhanko/hanko#2355: a PUT answers with the new events but does not store them.</summary>
    public bool DropEventsOnUpdate { get; set; }

    /// <summary>How long a create waits between reading the time and storing the hook (to make creates of two hosts overlap).</summary>
    public TimeSpan CreateDelay { get; set; }

    public Uri BaseAddress { get; private set; } = null!;

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    public IReadOnlyList<Hook> Hooks
    {
        get
        {
            lock (_lock)
            {
                return [.. _hooks.Select(h => h.Clone())];
            }
        }
    }

    public static async Task<FakeHankoAdminApi> StartAsync(FakeHanko signer, string pathBase = "")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeHankoAdminApi(app, signer);
        var routes = pathBase.Length == 0 ? (IEndpointRouteBuilder)app : app.MapGroup(pathBase);
        routes.MapGet("/webhooks", fake.List);
        routes.MapPost("/webhooks", fake.Create);
        routes.MapGet("/webhooks/{id}", fake.Get);
        routes.MapPut("/webhooks/{id}", fake.Update);
        routes.MapDelete("/webhooks/{id}", fake.Delete);
        fake.MapUserRoutes(routes);
        app.Use(fake.Gate);
        app.MapFallback((HttpContext c) => Error(c, 404, "Not Found"));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.BaseAddress = new Uri(address + pathBase + "/");
        return fake;
    }

    /// <summary>Makes the next <paramref name="count"/> requests fail with <paramref name="status"/> (Hanko's generic error body).</summary>
    public void FailNext(int count, HttpStatusCode status = HttpStatusCode.InternalServerError)
    {
        lock (_lock)
        {
            _failNext = count;
            _failStatus = status;
        }
    }

    /// <summary>Adds a hook as the console would.</summary>
    public Hook AddHook(string callback, IEnumerable<string> events, bool enabled = true, int failures = 0, DateTimeOffset? createdAt = null, DateTimeOffset? expiresAt = null)
    {
        var now = createdAt ?? DateTimeOffset.UtcNow;
        var hook = new Hook
        {
            Id = Guid.NewGuid(),
            Callback = callback,
            Enabled = enabled,
            Failures = failures,
            ExpiresAt = expiresAt ?? now + ExpireDuration,
            Events = [.. events.Select(e => new HookEvent(Guid.NewGuid(), e))],
            CreatedAt = now,
            UpdatedAt = now,
        };
        lock (_lock)
        {
            _hooks.Add(hook);
        }

        return hook.Clone();
    }

    public void AddConfigHook(string callback, params string[] events)
    {
        lock (_lock)
        {
            _configHooks.Add((callback, events));
        }
    }

    public void Mutate(Guid id, Action<Hook> change)
    {
        lock (_lock)
        {
            change(_hooks.Single(h => h.Id == id));
        }
    }

    /// <summary>
    /// Fires <paramref name="eventName"/> as Hanko's webhook manager and worker do: every enabled database hook with a
    /// subscription that is a prefix of the name gets one signed delivery (no retry, 10 s timeout); status &lt; 400 resets
    /// <c>failures</c> and <c>expires_at</c>, anything else increments <c>failures</c> and disables the hook past 5.
    /// </summary>
    public async Task<IReadOnlyList<(Guid HookId, int? Status)>> TriggerAsync(string eventName)
    {
        List<Hook> targets;
        lock (_lock)
        {
            targets = [.. _hooks.Where(h => h.Enabled && h.Events.Any(e => eventName.StartsWith(e.Event, StringComparison.Ordinal)))];
        }

        var results = new List<(Guid, int?)>();
        foreach (var hook in targets)
        {
            var now = DateTimeOffset.UtcNow;
            lock (_lock)
            {
                if (AllowTimeExpiration && hook.ExpiresAt < now)
                {
                    hook.Enabled = false;
                    continue;
                }
            }

            int? status = null;
            try
            {
                // A fresh id per delivery: two equal events in one second would otherwise be one token (RS256 is deterministic).
                var delivery = _signer.CreateDelivery(eventName, o => o.EditData = d => d[eventName == HankoEventNames.EmailSend ? "to_email_address" : "id"] =
                    eventName == HankoEventNames.EmailSend ? $"{Guid.NewGuid():N}@example.com" : Guid.NewGuid().ToString());
                using var response = await _deliveryClient.PostAsync(hook.Callback, delivery.ToHttpContent());
                status = (int)response.StatusCode;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                status = null;
            }

            lock (_lock)
            {
                if (status is < 400)
                {
                    hook.Failures = 0;
                    hook.ExpiresAt = DateTimeOffset.UtcNow + ExpireDuration;
                    hook.UpdatedAt = DateTimeOffset.UtcNow;
                }
                else
                {
                    hook.Failures++;
                    if (hook.Failures > FailureExpireRate)
                    {
                        hook.Enabled = false;
                    }

                    hook.UpdatedAt = DateTimeOffset.UtcNow;
                }
            }

            results.Add((hook.Id, status));
        }

        return results;
    }

    public async ValueTask DisposeAsync()
    {
        _deliveryClient.Dispose();
        await _app.DisposeAsync();
    }

    // ---- middleware: recording, auth, injected failures ----------------------------------------------------------------

    /// <summary>When set, answers every request instead of the routes (to serve fixtures); return false to fall through.</summary>
    public Func<HttpContext, Task<bool>>? Intercept { get; set; }

    private async Task Gate(HttpContext context, RequestDelegate next)
    {
        context.Request.EnableBuffering();
        var body = await new StreamReader(context.Request.Body, Encoding.UTF8).ReadToEndAsync();
        context.Request.Body.Position = 0;
        bool fail;
        lock (_lock)
        {
            _requests.Add(new RecordedRequest(context.Request.Method, context.Request.Path.Value ?? string.Empty, context.Request.Headers.Authorization.ToString(), body, DateTimeOffset.UtcNow, context.Request.QueryString.Value ?? string.Empty));
            fail = _failNext > 0;
            if (fail)
            {
                _failNext--;
            }
        }

        if (fail)
        {
            await Error(context, (int)_failStatus, ReasonPhrase((int)_failStatus));
            return;
        }

        if (Intercept is { } intercept && await intercept(context))
        {
            return;
        }

        if (RequiredApiKey is { } key && context.Request.Headers.Authorization.ToString() != "Bearer " + key)
        {
            await Error(context, 401, "Unauthorized");
            return;
        }

        await next(context);
    }

    // ---- routes (backend/handler/webhook.go) ------------------------------------------------------------------------

    private Task List(HttpContext context)
    {
        lock (_lock)
        {
            return Send(context, 200, Render(w =>
            {
                w.WriteStartObject();
                w.WritePropertyName("database");
                w.WriteStartArray();
                foreach (var hook in _hooks)
                {
                    WriteHook(w, hook);
                }

                w.WriteEndArray();
                w.WritePropertyName("config");
                if (_configHooks.Count == 0)
                {
                    w.WriteNullValue(); // a nil Go slice
                }
                else
                {
                    w.WriteStartArray();
                    foreach (var (callback, events) in _configHooks)
                    {
                        w.WriteStartObject();
                        w.WriteString("callback", callback);
                        w.WritePropertyName("events");
                        w.WriteStartArray();
                        foreach (var e in events)
                        {
                            w.WriteStringValue(e);
                        }

                        w.WriteEndArray();
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                }

                w.WriteEndObject();
            }));
        }
    }

    private async Task Create(HttpContext context)
    {
        if (await Bind(context) is not { } body)
        {
            return;
        }

        var errors = new List<string>();
        ValidateCallbackAndEvents(body, errors);
        if (errors.Count > 0)
        {
            await Error(context, 400, string.Join(" and ", errors));
            return;
        }

        var now = DateTimeOffset.UtcNow;
        var hook = new Hook
        {
            Id = Guid.NewGuid(),
            Callback = body["callback"]!.GetValue<string>(),
            Enabled = true,
            Failures = 0,
            ExpiresAt = now + ExpireDuration,
            Events = [.. body["events"]!.AsArray().Select(e => new HookEvent(Guid.NewGuid(), e!.GetValue<string>()))],
            CreatedAt = now,
            UpdatedAt = now,
        };
        if (CreateDelay > TimeSpan.Zero)
        {
            try
            {
                // Ends with the request when the client gives up (its timeout or cancellation), so that stopping the fake does
                // not wait for a delay nobody waits for any more.
                await Task.Delay(CreateDelay, context.RequestAborted);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                return;
            }
        }

        byte[] json;
        lock (_lock)
        {
            _hooks.Add(hook);
            json = Render(w => WriteHook(w, hook));
        }

        await Send(context, 201, json);
    }

    private async Task Get(HttpContext context, string id)
    {
        if (await FindAsync(context, id, validateId: true) is not { } hook)
        {
            return;
        }

        byte[] json;
        lock (_lock)
        {
            json = Render(w => WriteHook(w, hook));
        }

        await Send(context, 200, json);
    }

    private async Task Delete(HttpContext context, string id)
    {
        if (await FindAsync(context, id, validateId: true) is not { } hook)
        {
            return;
        }

        lock (_lock)
        {
            _hooks.Remove(hook);
        }

        context.Response.StatusCode = 204;
    }

    private async Task Update(HttpContext context, string id)
    {
        if (await Bind(context) is not { } body)
        {
            return;
        }

        // One struct is validated: ID, then callback and events, then enabled; the messages are joined in that order.
        var errors = new List<string>();
        if (!IsUuid4(id))
        {
            errors.Add("ID must be a valid uuid4");
        }

        ValidateCallbackAndEvents(body, errors);
        if (body["enabled"] is not JsonValue enabled || enabled.GetValueKind() != JsonValueKind.True)
        {
            // validate:"required" on a Go bool: false is the zero value, so it fails like a missing field.
            errors.Add("enabled is a required field");
        }

        if (errors.Count > 0)
        {
            await Error(context, 400, string.Join(" and ", errors));
            return;
        }

        if (await FindAsync(context, id, validateId: false) is not { } hook)
        {
            return;
        }

        var now = DateTimeOffset.UtcNow;
        var newEvents = body["events"]!.AsArray().Select(e => new HookEvent(Guid.NewGuid(), e!.GetValue<string>())).ToList();
        byte[] json;
        lock (_lock)
        {
            var answer = hook.Clone();
            answer.Events = newEvents;
            if (!DropEventsOnUpdate)
            {
                hook.Events = newEvents;
            }

            foreach (var h in new[] { hook, answer })
            {
                h.Callback = body["callback"]!.GetValue<string>();
                h.UpdatedAt = now;
                h.Enabled = true;
                h.Failures = 0;
                h.ExpiresAt = now + ExpireDuration;
            }

            json = Render(w => WriteHook(w, answer));
        }

        await Send(context, 200, json);
    }

    private async Task<Hook?> FindAsync(HttpContext context, string id, bool validateId)
    {
        if (validateId && !IsUuid4(id))
        {
            await Error(context, 400, "ID must be a valid uuid4");
            return null;
        }

        lock (_lock)
        {
            var hook = _hooks.FirstOrDefault(h => h.Id.ToString("D") == id);
            if (hook is not null)
            {
                return hook;
            }
        }

        // echo.NewHTTPError(404, "unable to find webhook with id: %s", id) keeps only its first argument: the format is not applied.
        await Error(context, 404, "unable to find webhook with id: %s");
        return null;
    }

    /// <summary>echo's <c>ctx.Bind</c> of a JSON body; a syntax or type error is a 400 with echo's own text.</summary>
    private static async Task<JsonObject?> Bind(HttpContext context)
    {
        context.Request.Body.Position = 0;
        var text = await new StreamReader(context.Request.Body, Encoding.UTF8).ReadToEndAsync();
        try
        {
            if (JsonNode.Parse(text.Length == 0 ? "{}" : text) is JsonObject body)
            {
                foreach (var (name, kind) in new[] { ("callback", JsonValueKind.String), ("events", JsonValueKind.Array) })
                {
                    if (body[name] is { } value && value.GetValueKind() != kind)
                    {
                        await Error(context, 400, $"code=400, message=Unmarshal type error: expected={(kind == JsonValueKind.String ? "string" : "events.Events")}, got={value.GetValueKind().ToString().ToLowerInvariant()}, field={name}, offset=0");
                        return null;
                    }
                }

                if (body["enabled"] is { } enabled && enabled.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
                {
                    await Error(context, 400, $"code=400, message=Unmarshal type error: expected=bool, got={enabled.GetValueKind().ToString().ToLowerInvariant()}, field=enabled, offset=0");
                    return null;
                }

                return body;
            }

            await Error(context, 400, "code=400, message=Unmarshal type error: expected=admin.CreateWebhookRequestDto, offset=0");
            return null;
        }
        catch (JsonException)
        {
            await Error(context, 400, "code=400, message=Syntax error: offset=1, error=invalid character, internal=invalid character");
            return null;
        }
    }

    /// <summary><c>callback: required,url</c> and <c>events: required,min=1,dive,hanko_event</c> (go-playground/validator messages via <c>dto/validator.go</c>).</summary>
    private void ValidateCallbackAndEvents(JsonObject body, List<string> errors)
    {
        var callback = body["callback"]?.GetValue<string>();
        if (string.IsNullOrEmpty(callback))
        {
            errors.Add("callback is a required field");
        }
        else if (!Uri.TryCreate(callback, UriKind.Absolute, out _))
        {
            errors.Add("something wrong on callback; url");
        }

        if (body["events"] is not JsonArray events)
        {
            errors.Add("events is a required field");
        }
        else if (events.Count < 1)
        {
            errors.Add("something wrong on events; min");
        }
        else
        {
            for (var i = 0; i < events.Count; i++)
            {
                var name = events[i] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
                if (name is null || !ValidEvents.Contains(name))
                {
                    // dto/validator.go TransformValidationErrors, case "hanko_event": "%s in %s is not a valid webhook event" (value, field).
                    errors.Add($"{name ?? events[i]?.ToJsonString() ?? "null"} in events[{i}] is not a valid webhook event");
                }
            }
        }
    }

    // go-playground/validator's uUID4Regex (lower case only).
    private static bool IsUuid4(string id) => Uuid4().IsMatch(id);

    [GeneratedRegex("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")]
    private static partial Regex Uuid4();

    // ---- JSON as Go writes it -------------------------------------------------------------------------------------

    /// <summary>Go <c>models.Webhook</c> in struct order; the event rows' other fields are <c>json:"-"</c>.</summary>
    private static void WriteHook(Utf8JsonWriter w, Hook hook)
    {
        w.WriteStartObject();
        w.WriteString("id", hook.Id.ToString("D"));
        w.WriteNull("TenantID"); // no json tag: encoding/json uses the field name
        w.WriteString("callback", hook.Callback);
        w.WriteBoolean("enabled", hook.Enabled);
        w.WriteNumber("failures", hook.Failures);
        w.WriteString("expires_at", GoTime(hook.ExpiresAt));
        w.WritePropertyName("events");
        w.WriteStartArray();
        foreach (var e in hook.Events)
        {
            w.WriteStartObject();
            w.WriteString("id", e.Id.ToString("D"));
            w.WriteString("event", e.Event);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteString("created_at", GoTime(hook.CreatedAt));
        w.WriteString("updated_at", GoTime(hook.UpdatedAt));
        w.WriteEndObject();
    }

    /// <summary>Go's <c>time.RFC3339Nano</c>: trailing zeros of the fraction dropped.</summary>
    public static string GoTime(DateTimeOffset time)
    {
        var text = time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture).TrimEnd('0').TrimEnd('.');
        return text + "Z";
    }

    private static byte[] Render(Action<Utf8JsonWriter> write)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return buffer.ToArray();
    }

    private static Task Send(HttpContext context, int status, byte[] json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=UTF-8";
        return context.Response.Body.WriteAsync(json).AsTask();
    }

    /// <summary>Hanko's error handler: <c>{"code": int, "message": string}</c>.</summary>
    private static Task Error(HttpContext context, int status, string message) => Send(context, status, Render(w =>
    {
        w.WriteStartObject();
        w.WriteNumber("code", status);
        w.WriteString("message", message);
        w.WriteEndObject();
    }));

    private static string ReasonPhrase(int status) => status switch
    {
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => ((HttpStatusCode)status).ToString(),
    };

    internal sealed record RecordedRequest(string Method, string Path, string Authorization, string Body, DateTimeOffset At = default, string Query = "");

    internal sealed record HookEvent(Guid Id, string Event);

    internal sealed class Hook
    {
        public Guid Id { get; set; }

        public string Callback { get; set; } = string.Empty;

        public bool Enabled { get; set; }

        public int Failures { get; set; }

        public DateTimeOffset ExpiresAt { get; set; }

        public List<HookEvent> Events { get; set; } = [];

        public DateTimeOffset CreatedAt { get; set; }

        public DateTimeOffset UpdatedAt { get; set; }

        public string[] EventNames => [.. Events.Select(e => e.Event)];

        public Hook Clone() => new()
        {
            Id = Id,
            Callback = Callback,
            Enabled = Enabled,
            Failures = Failures,
            ExpiresAt = ExpiresAt,
            Events = [.. Events],
            CreatedAt = CreatedAt,
            UpdatedAt = UpdatedAt,
        };
    }
}
