using System.Net;
using Microsoft.Extensions.Options;

namespace Hanko.Webhooks;

/// <summary>Checks <see cref="HankoWebhookOptions"/> when the host starts, with messages that say what to set.</summary>
internal sealed class HankoWebhookOptionsValidator : IValidateOptions<HankoWebhookOptions>
{
    private const string Section = HankoWebhookOptions.SectionName;

    /// <summary>64 MiB: far above any Hanko body, and far from the arithmetic limits of the buffers that read it.</summary>
    internal const int MaxBodyBytesLimit = 64 * 1024 * 1024;

    private static readonly string[] RsaAlgorithms = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"];

    public ValidateOptionsResult Validate(string? name, HankoWebhookOptions options)
    {
        var errors = Validate(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
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
    public static List<string> Validate(HankoWebhookOptions options)
    {
        var errors = new List<string>();
        if (HankoWebhookOptionsPostConfigure.SourceOf(options) is { Error: { } sourceError })
        {
            errors.Add(sourceError);
        }

        if (options.AllowedAlgorithms is { } algorithms)
        {
            if (algorithms.Count == 0)
            {
                errors.Add($"{Section}:AllowedAlgorithms is empty; leave it unset for RS256 (what Hanko signs with).");
            }

            foreach (var algorithm in algorithms)
            {
                if (!RsaAlgorithms.Contains(algorithm, StringComparer.Ordinal))
                {
                    errors.Add($"{Section}:AllowedAlgorithms contains \"{algorithm}\"; only {string.Join(", ", RsaAlgorithms)} can verify Hanko's RSA keys (\"none\" and HMAC are never accepted).");
                }
            }
        }

        if (options.Audience is { } audience && string.IsNullOrWhiteSpace(audience))
        {
            errors.Add($"{Section}:Audience is blank; set it to your Hanko project's session audience (or WebAuthn relying-party id), or remove it.");
        }

        RequireRange(errors, "ClockSkew", options.ClockSkew, TimeSpan.Zero, TimeSpan.FromMinutes(5));
        RequireRange(errors, "MaxTokenLifetime", options.MaxTokenLifetime, TimeSpan.FromMinutes(5), TimeSpan.FromDays(1));
        RequireRange(errors, "JwksRefreshInterval", options.JwksRefreshInterval, TimeSpan.FromSeconds(1), TimeSpan.FromDays(7));
        RequireRange(errors, "JwksMinimumRefreshInterval", options.JwksMinimumRefreshInterval, TimeSpan.FromSeconds(1), TimeSpan.FromDays(7));
        RequireRange(errors, "JwksMaximumRefreshInterval", options.JwksMaximumRefreshInterval, TimeSpan.FromSeconds(1), TimeSpan.FromDays(7));
        RequireRange(errors, "JwksRefetchCooldown", options.JwksRefetchCooldown, TimeSpan.FromMilliseconds(1), TimeSpan.FromHours(1));
        RequireRange(errors, "JwksFetchTimeout", options.JwksFetchTimeout, TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(5));
        if (options.JwksMinimumRefreshInterval > options.JwksMaximumRefreshInterval)
        {
            errors.Add($"{Section}:JwksMinimumRefreshInterval ({options.JwksMinimumRefreshInterval}) is greater than JwksMaximumRefreshInterval ({options.JwksMaximumRefreshInterval}).");
        }

        if (options.MaxBodyBytes is < 1024 or > MaxBodyBytesLimit)
        {
            errors.Add($"{Section}:MaxBodyBytes is {options.MaxBodyBytes}; Hanko bodies are several kilobytes, so set between 1024 and {MaxBodyBytesLimit} (the default is 1048576).");
        }

        RequireRange(errors, "ReplayCacheTimeout", options.ReplayCacheTimeout, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(10));
        if (!Enum.IsDefined(options.ReplayCacheFailureMode))
        {
            errors.Add($"{Section}:ReplayCacheFailureMode is {(int)options.ReplayCacheFailureMode}; set FailOpen (dispatch when the cache is down, the default) or FailClosed (answer 503).");
        }

        return errors;
    }

    private static void RequireRange(List<string> errors, string name, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{Section}:{name} is {value}; it must be between {min} and {max}.");
        }
    }
}
