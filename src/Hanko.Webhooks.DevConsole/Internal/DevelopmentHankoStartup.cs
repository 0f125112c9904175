using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Hanko.Webhooks.DevConsole.Internal;

/// <summary>Says at start what <c>UseDevelopmentHanko()</c> did, and why; with several projects, for which of them.</summary>
internal sealed class DevelopmentHankoStartup(
    HankoDevelopmentHanko local,
    IEnumerable<HankoDevConsoleBuilderExtensions.DevelopmentHankoProject> projects,
    IOptionsMonitor<HankoWebhookOptions> options,
    ILoggerFactory loggers) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(Log.Category);
        if (local.CanSign)
        {
            // The projects pointed at the local Hanko (a project with a real key source of its own keeps it).
            var signed = projects.Select(p => p.Name).Where(name => options.Get(name).JwksUrl == DevelopmentHankoSetup.LocalJwksUrl).ToList();
            Log.LocalHanko(logger, ForProjects(signed), local.Reason);
        }
        else
        {
            Log.NotSigning(logger, local.Reason);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>" for AddHankoWebhooks() and the Hanko projects "eu", "us""; nothing when only the unnamed project is (one project reads as before).</summary>
    internal static string ForProjects(IReadOnlyList<string> names)
    {
        var named = names.Where(n => n.Length > 0).Select(n => $"\"{n}\"").ToList();
        if (named.Count == 0)
        {
            return string.Empty;
        }

        var projectsText = (named.Count == 1 ? "the Hanko project " : "the Hanko projects ") + string.Join(", ", named);
        return " for " + (names.Any(n => n.Length == 0) ? "AddHankoWebhooks() and " : string.Empty) + projectsText;
    }
}
