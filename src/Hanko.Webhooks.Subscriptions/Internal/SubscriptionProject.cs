using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Hanko.Webhooks.Subscriptions;

/// <summary>
/// What a project name means for subscription management, as in the core (docs/several-projects.md):
/// <see langword="null"/> is the unnamed registration (unkeyed services, default options, section <c>Hanko:Webhooks</c>);
/// a name is a keyed service key, a named options instance and the section <c>Hanko:Webhooks:Projects:{name}</c>.
/// </summary>
internal static class SubscriptionProject
{
    private static readonly Func<ILogger, string, IDisposable?> Scope = LoggerMessage.DefineScope<string>("Hanko project {HankoProject}");

    public static string OptionsName(string? project) => project ?? Options.DefaultName;

    /// <summary>The project of a named options instance: <see langword="null"/> for <see cref="Options.DefaultName"/>.</summary>
    public static string? FromOptionsName(string? optionsName) => string.IsNullOrEmpty(optionsName) ? null : optionsName;

    /// <summary>The configuration section of a project's settings, as named in validation messages.</summary>
    public static string SectionFor(string? project) =>
        project is null ? HankoWebhookOptions.SectionName : $"{HankoWebhookOptions.SectionName}:Projects:{project}";

    /// <summary>The <c>Hanko project {HankoProject}</c> log scope (the core's); none for the unnamed project.</summary>
    public static IDisposable? BeginScope(ILogger logger, string? project) => project is null ? null : Scope(logger, project);

    /// <summary>A project's own service: unkeyed for the unnamed project, keyed by its name otherwise.</summary>
    public static T Resolve<T>(IServiceProvider services, string? project)
        where T : notnull =>
        project is null ? services.GetRequiredService<T>() : services.GetRequiredKeyedService<T>(project);

    /// <summary>How a project is named in messages, as the core's start-up warning names it.</summary>
    public static string Describe(string? project) =>
        project is null ? "the Hanko webhooks of AddHankoWebhooks()" : $"the Hanko project \"{project}\"";

    /// <summary>The call that maps a project's endpoint, as advised in messages.</summary>
    public static string MapCall(string? project) =>
        project is null ? "app.MapHankoWebhooks(\"/webhooks/hanko\")" : $"app.MapHankoWebhooks(\"/webhooks/hanko/{project}\", \"{project}\")";
}
