namespace Hanko.Webhooks.Sample;

/// <summary>
/// Several Hanko projects: each child of <c>Hanko:Webhooks:Projects</c> (for example <c>Hanko__Webhooks__Projects__eu__TenantId</c>)
/// is a project of its own, <c>AddHankoWebhooks(name)</c> with the sample's handlers and its health entry
/// <c>hanko-webhooks-{name}</c>, mapped at <c>/webhooks/hanko/{name}</c>. The unnamed registration at <c>/webhooks/hanko</c>
/// stays when there are no projects (the other modes, unchanged) or when <c>Hanko:Webhooks</c> itself has a key source.
/// The handlers name the project in their log lines (<c>[eu/user.create] …</c>).
/// </summary>
internal static class ProjectsMode
{
    private static readonly string[] KeySources = ["TenantId", "ApiUrl", "JwksUrl"];

    /// <summary>The names under <c>Hanko:Webhooks:Projects</c>.</summary>
    public static IReadOnlyList<string> Names(IConfiguration configuration) =>
        [.. configuration.GetSection("Hanko:Webhooks:Projects").GetChildren().Select(c => c.Key)];

    /// <summary>Whether the unnamed registration is wanted: no projects, or <c>Hanko:Webhooks</c> has a key source of its own.</summary>
    public static bool WithUnnamed(IConfiguration configuration) =>
        Names(configuration).Count == 0
        || KeySources.Any(k => !string.IsNullOrEmpty(configuration[$"Hanko:Webhooks:{k}"]));

    /// <summary>The registrations to add the handlers to: the unnamed one when wanted, then one per project (with its health entry).</summary>
    public static IEnumerable<HankoWebhooksBuilder> Registrations(WebApplicationBuilder builder) =>
        Builders(builder).Select(b => b.Project is null ? b : b.AddHealthCheck());

    /// <summary>The builders of the same registrations, added once (a second call returns the same project's builder).</summary>
    public static IEnumerable<HankoWebhooksBuilder> Builders(WebApplicationBuilder builder)
    {
        if (WithUnnamed(builder.Configuration))
        {
            yield return builder.Services.AddHankoWebhooks();
        }

        foreach (var name in Names(builder.Configuration))
        {
            yield return builder.Services.AddHankoWebhooks(name);
        }
    }

    /// <summary>Maps <c>/webhooks/hanko</c> for the unnamed registration (when added) and <c>/webhooks/hanko/{name}</c> per project.</summary>
    public static void Map(WebApplication app)
    {
        if (WithUnnamed(app.Configuration))
        {
            app.MapHankoWebhooks("/webhooks/hanko");
        }

        foreach (var name in Names(app.Configuration))
        {
            app.MapHankoWebhooks($"/webhooks/hanko/{name}", name);
        }
    }
}
