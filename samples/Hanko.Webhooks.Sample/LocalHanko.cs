using Hanko.Webhooks.Testing;

namespace Hanko.Webhooks.Sample;

/// <summary>
/// Local mode: a development Hanko inside the sample. It holds an RSA key, serves it as a JWKS at
/// <c>/.well-known/jwks.json</c> (the endpoint verifies against it over HTTP, exactly as against a real Hanko) and,
/// once the app listens, posts one signed delivery of every Hanko event type to <c>/webhooks/hanko</c>.
/// </summary>
internal sealed class LocalHanko
{
    private const string DefaultUrl = "http://127.0.0.1:5080";

    private LocalHanko(FakeHanko hanko, Uri baseUri)
    {
        Hanko = hanko;
        BaseUri = baseUri;
    }

    public FakeHanko Hanko { get; }

    public Uri BaseUri { get; }

    public static bool IsNeeded(IConfiguration configuration)
    {
        var section = configuration.GetSection(HankoWebhookOptions.SectionName);
        return string.IsNullOrEmpty(section["TenantId"]) && string.IsNullOrEmpty(section["ApiUrl"]) && string.IsNullOrEmpty(section["JwksUrl"]);
    }

    public static LocalHanko Configure(WebApplicationBuilder builder)
    {
        // Listen where the JWKS URL will point: the first configured http URL, or http://127.0.0.1:5080.
        var urls = builder.Configuration["urls"];
        var first = urls?.Split(';', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(u => u.StartsWith("http://", StringComparison.OrdinalIgnoreCase));
        if (first is null)
        {
            builder.WebHost.UseUrls(DefaultUrl);
            first = DefaultUrl;
        }

        var baseUri = new Uri(first.Replace("://*", "://127.0.0.1", StringComparison.Ordinal).Replace("://+", "://127.0.0.1", StringComparison.Ordinal).Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal));
        var local = new LocalHanko(new FakeHanko(new FakeHankoOptions { Audience = "localhost" }), baseUri);
        builder.Services.AddSingleton(local);
        builder.Services.AddHankoWebhooks(o =>
        {
            o.JwksUrl = new Uri(baseUri, "/.well-known/jwks.json").ToString();
            o.Audience = "localhost";
            o.FetchKeysOnStart = false; // the JWKS is served by this very app, which is not listening yet
        });
        if (builder.Configuration.GetValue("Sample:SelfPost", true))
        {
            builder.Services.AddHostedService<SelfPoster>();
        }

        return local;
    }

    public void MapJwks(WebApplication app) =>
        app.MapGet("/.well-known/jwks.json", (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "max-age=600";
            return Results.Text(Hanko.GetJwksJson(), "application/json");
        });
}
