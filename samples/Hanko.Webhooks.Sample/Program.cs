using Hanko.Webhooks;
using Hanko.Webhooks.Sample;
using Hanko.Webhooks.Sample.Handlers;

var builder = WebApplication.CreateBuilder(args);
builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });

// Real mode: Hanko:Webhooks has a key source (TenantId, ApiUrl or JwksUrl), e.g. from Hanko__Webhooks__TenantId.
// Local mode: nothing is configured, so a development "Hanko" inside this app signs deliveries and serves its JWKS.
var localHanko = LocalHanko.IsNeeded(builder.Configuration) ? LocalHanko.Configure(builder) : null;

builder.Services.AddSingleton<UserDirectory>();
builder.Services.AddHankoWebhooks()
    .AddHandler<SendPasscodeEmail>()      // IHankoEventHandler<EmailSendEvent>
    .AddHandler<UserDirectorySync>()      // IHankoEventHandler<UserEvent>: every user.* event
    .AddHandler<SessionAudit>()           // IHankoEventHandler<SessionEvent>: every session.* event
    .AddHandler<SecurityAlerts>();        // one class, two event types

var app = builder.Build();

// No app.UseHttpsRedirection() in front of the webhook: a redirect loses the event or leaves it to another URL (README: "Never a 3xx").
app.MapHankoWebhooks("/webhooks/hanko");
localHanko?.MapJwks(app);

app.Run();
