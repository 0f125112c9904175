using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Hanko.Webhooks;

/// <summary>
/// Checks <see cref="HankoWebhookOptions"/> when the host starts, with messages that say what to set. In the Development
/// environment, the message for a missing key source ends with how to try the SDK without a Hanko.
/// </summary>
internal sealed class HankoWebhookOptionsValidator(IHostEnvironment? environment = null) : IValidateOptions<HankoWebhookOptions>
{
    /// <summary>64 MiB: far above any Hanko body, and far from the arithmetic limits of the buffers that read it.</summary>
    internal const int MaxBodyBytesLimit = 64 * 1024 * 1024;

    public ValidateOptionsResult Validate(string? name, HankoWebhookOptions options)
    {
        var project = HankoProject.FromOptionsName(name);
        var errors = Validate(options, project);
        if (errors.Count == 0)
        {
            return ValidateOptionsResult.Success;
        }

        if (environment?.IsDevelopment() == true && HankoWebhookOptionsPostConfigure.SourceOf(options, project).IsMissing)
        {
            var registration = project is null ? "AddHankoWebhooks()" : $"AddHankoWebhooks(\"{project}\")";
            errors.Add($"To try webhooks without a Hanko first, add the Hanko.Webhooks.DevConsole package and call builder.Services.{registration}.UseDevelopmentHanko(): in Development a local Hanko then signs the deliveries.");
        }

        return ValidateOptionsResult.Fail(project is null ? errors : errors.Select(e => $"Hanko project \"{project}\": {e}"));
    }

    /// <summary>The algorithms a verifier with these options accepts.</summary>
    public static string[] EffectiveAlgorithms(HankoWebhookOptions options) =>
        options.AllowedAlgorithms is { Count: > 0 } list ? [.. list.Distinct(StringComparer.Ordinal)] : [HankoWebhookOptions.DefaultAlgorithm];

    /// <summary>Whether <paramref name="uri"/> is plain HTTP to this machine.</summary>
    public static bool IsInsecureLoopback(Uri uri) =>
        uri.Scheme == Uri.UriSchemeHttp
        && (uri.IsLoopback || string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip)));

    /// <summary>
    /// The problems with <paramref name="options"/>. Reads the key source that <see cref="HankoWebhookOptionsPostConfigure"/>
    /// derived (it runs before every validation); derives nothing itself.
    /// </summary>
    public static List<string> Validate(HankoWebhookOptions options, string? project = null)
    {
        var section = HankoProject.SectionFor(project);
        var errors = new List<string>();
        if (HankoWebhookOptionsPostConfigure.SourceOf(options, project) is { Error: { } sourceError })
        {
            errors.Add(sourceError);
        }

        if (options.Audience is { } audience && string.IsNullOrWhiteSpace(audience))
        {
            errors.Add($"{section}:Audience is blank; set it to your Hanko project's session audience (or WebAuthn relying-party id), or remove it.");
        }

        RequireRange(errors, section, "ClockSkew", options.ClockSkew, TimeSpan.Zero, TimeSpan.FromMinutes(5));
        RequireRange(errors, section, "JwksRefetchCooldown", options.JwksRefetchCooldown, TimeSpan.FromMilliseconds(1), TimeSpan.FromHours(1));

        if (options.MaxBodyBytes is < 1024 or > MaxBodyBytesLimit)
        {
            errors.Add($"{section}:MaxBodyBytes is {options.MaxBodyBytes}; Hanko bodies are several kilobytes, so set between 1024 and {MaxBodyBytesLimit} (the default is 1048576).");
        }

        if (!Enum.IsDefined(options.ReplayCacheFailureMode))
        {
            errors.Add($"{section}:ReplayCacheFailureMode is {(int)options.ReplayCacheFailureMode}; set FailOpen (dispatch when the cache is down, the default) or FailClosed (answer 503).");
        }

        return errors;
    }

    private static void RequireRange(List<string> errors, string section, string name, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{section}:{name} is {value}; it must be between {min} and {max}.");
        }
    }
}
