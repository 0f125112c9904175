using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Hanko.Webhooks;

/// <summary>
/// What a project name means everywhere: <see langword="null"/> is the unnamed registration of <c>AddHankoWebhooks()</c>
/// (unkeyed services, default options, section <c>Hanko:Webhooks</c>); a name is a keyed service key, a named options
/// instance and the section <c>Hanko:Webhooks:Projects:{name}</c>.
/// </summary>
internal static class HankoProject
{
    public const int MaxNameLength = 64;

    /// <summary>The child section of <c>Hanko:Webhooks</c> that holds one section per project.</summary>
    public const string ProjectsSection = "Projects";

    private static readonly Func<ILogger, string, IDisposable?> Scope = LoggerMessage.DefineScope<string>("Hanko project {HankoProject}");

    /// <summary>Throws when <paramref name="name"/> cannot name a project (it becomes a configuration key, a health check name, a tag and part of a cache key).</summary>
    public static void ThrowIfInvalidName(string name, string paramName)
    {
        ArgumentNullException.ThrowIfNull(name, paramName);
        if (name.Length is 0 or > MaxNameLength || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new ArgumentException(
                $"\"{(name.Length > MaxNameLength ? name[..MaxNameLength] + "…" : name)}\" is not a Hanko project name: use 1 to {MaxNameLength} letters, digits, '-', '_' or '.' "
                + "(for the unnamed project, call AddHankoWebhooks() without a name).",
                paramName);
        }
    }

    /// <summary>The configuration section of a project's settings, as named in validation messages.</summary>
    public static string SectionFor(string? project) =>
        project is null ? HankoWebhookOptions.SectionName : $"{HankoWebhookOptions.SectionName}:{ProjectsSection}:{project}";

    /// <summary>The project of a named options instance: <see langword="null"/> for <see cref="Options.DefaultName"/>.</summary>
    public static string? FromOptionsName(string? optionsName) => string.IsNullOrEmpty(optionsName) ? null : optionsName;

    public static string OptionsName(string? project) => project ?? Options.DefaultName;

    /// <summary>How a project is named in messages: <c>the Hanko project "eu"</c>, or the unnamed registration.</summary>
    public static string Describe(string? project) =>
        project is null ? "the Hanko webhooks of AddHankoWebhooks()" : $"the Hanko project \"{project}\"";

    /// <summary>
    /// Names a named project in a line that several projects write (" for the Hanko project "eu""); nothing for the unnamed
    /// one, whose lines read as before.
    /// </summary>
    public static string ForProject(string? project) => project is null ? string.Empty : $" for the Hanko project \"{project}\"";

    /// <summary>The call that maps a project's endpoint, as advised in messages.</summary>
    public static string MapCall(string? project) =>
        project is null ? "app.MapHankoWebhooks(\"/webhooks/hanko\")" : $"app.MapHankoWebhooks(\"/webhooks/hanko/{project}\", \"{project}\")";

    /// <summary>The <c>Hanko project {HankoProject}</c> log scope; none for the unnamed project.</summary>
    public static IDisposable? BeginScope(ILogger logger, string? project) => project is null ? null : Scope(logger, project);

    /// <summary>A project's own service: unkeyed for the unnamed project, keyed by its name otherwise.</summary>
    public static T Resolve<T>(IServiceProvider services, string? project)
        where T : notnull =>
        project is null ? services.GetRequiredService<T>() : services.GetRequiredKeyedService<T>(project);

    /// <summary>A project's post-configured, validated options.</summary>
    public static HankoWebhookOptions OptionsFor(IServiceProvider services, string? project) =>
        project is null
            ? services.GetRequiredService<IOptions<HankoWebhookOptions>>().Value
            : services.GetRequiredService<IOptionsMonitor<HankoWebhookOptions>>().Get(project);
}

/// <summary>One registered project (<see cref="Name"/> <see langword="null"/> for the unnamed one); a singleton per project.</summary>
internal sealed class HankoProjectRegistration(string? name)
{
    public string? Name { get; } = name;

    public static IEnumerable<HankoProjectRegistration> In(IServiceCollection services) =>
        services.Where(d => d.ServiceType == typeof(HankoProjectRegistration) && !d.IsKeyedService)
            .Select(d => d.ImplementationInstance).OfType<HankoProjectRegistration>();
}
