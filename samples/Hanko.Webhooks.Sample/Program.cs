using Hanko.Webhooks.Sample;
using Hanko.Webhooks.Sample.Handlers;

var builder = WebApplication.CreateBuilder(args);
builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });

// Real mode: Hanko:Webhooks has a key source (TenantId, ApiUrl or JwksUrl), e.g. from Hanko__Webhooks__TenantId.
// Local mode (Development, nothing configured): UseDevelopmentHanko() makes a local "Hanko" sign the deliveries.
// `dotnet run` starts it in Development on http://127.0.0.1:5080 (Properties/launchSettings.json).

builder.Services.AddSingleton<UserDirectory>();
foreach (var hanko in ProjectsMode.Registrations(builder)) // AddHankoWebhooks(), and AddHankoWebhooks(name) per Hanko:Webhooks:Projects entry
{
    hanko.UseDevelopmentHanko()                // Development only: the local Hanko and the console (package Hanko.Webhooks.DevConsole)
    .AddHandler<SendPasscodeEmail>()      // IHankoEventHandler<EmailSendEvent>
    .AddHandler<UserDirectorySync>()      // IHankoEventHandler<UserEvent>: every user.* event
    .AddHandler<SessionAudit>()           // IHankoEventHandler<SessionEvent>: every session.* event
    .AddHandler<SecurityAlerts>();        // one class, two event types
}

RedisMode.ConfigureIfRequested(builder);   // --Sample:Redis=127.0.0.1:6379: durable mode on that Redis (RedisMode.cs)

var adminApiMode = AdminApiMode.Configure(builder); // --Sample:AdminApi=…: ensure and watch the hook, /healthz

var app = builder.Build();

// No app.UseHttpsRedirection() in front of the webhook: a redirect loses the event or leaves it to another URL (docs/endpoint.md: "Never a 3xx").
ProjectsMode.Map(app);                       // /webhooks/hanko, and /webhooks/hanko/{name} per project (ProjectsMode.cs)
app.MapHankoWebhooksDevConsole("/_hanko");   // Development only: the page, its JSON API under /_hanko/api; logs its URL
if (adminApiMode)
{
    AdminApiMode.Map(app);
}

app.Run();
