using Hanko.Webhooks.Internal;
using Microsoft.Extensions.Configuration;

namespace Hanko.Webhooks;

/// <summary>
/// Binds a configuration section (<c>Hanko:Webhooks</c> or a project's) to <see cref="HankoWebhookOptions"/>, one line per
/// setting. A key the section does not set keeps the current value. Every public settable property of the options class
/// must have its line here (a test checks).
/// </summary>
internal static class HankoWebhookOptionsBinder
{
    /// <summary>
    /// Settings 0.x read and 1.0 fixed (Hanko's own behaviour makes their values right; see docs/design.md). A
    /// section that still sets one is not refused (the host would not start after an upgrade), but the key is named in a
    /// warning at start, so that a setting that no longer does anything does not look as if it did.
    /// </summary>
    internal static readonly string[] RemovedKeys =
    [
        "AllowedAlgorithms", "MaxTokenLifetime", "JwksRefreshInterval", "JwksMinimumRefreshInterval",
        "JwksMaximumRefreshInterval", "JwksFetchTimeout", "ReplayCacheTimeout",
    ];

    /// <summary>What a removed key is fixed to, in words, for the warning.</summary>
    internal static string FixedValueOf(string path) => path[(path.LastIndexOf(':') + 1)..] switch
    {
        "AllowedAlgorithms" => "RS256, what Hanko signs with",
        "MaxTokenLifetime" => "15 minutes; Hanko's tokens live 5",
        "JwksRefreshInterval" or "JwksMinimumRefreshInterval" or "JwksMaximumRefreshInterval" => "the JWKS response's max-age, between 1 minute and 24 hours, else 10 minutes",
        "JwksFetchTimeout" => "5 seconds; configure the HTTP client by its name for anything else",
        "ReplayCacheTimeout" => "2 seconds",
        _ => "a constant",
    };

    public static void Bind(IConfiguration section, HankoWebhookOptions options)
    {
        options.TenantId = section.String(nameof(options.TenantId), options.TenantId);
        options.ApiUrl = section.String(nameof(options.ApiUrl), options.ApiUrl);
        options.JwksUrl = section.String(nameof(options.JwksUrl), options.JwksUrl);
        options.Audience = section.String(nameof(options.Audience), options.Audience);
        options.ClockSkew = section.TimeSpan(nameof(options.ClockSkew), options.ClockSkew);
        options.RequireHttpsJwks = section.Boolean(nameof(options.RequireHttpsJwks), options.RequireHttpsJwks);
        options.JwksRefetchCooldown = section.TimeSpan(nameof(options.JwksRefetchCooldown), options.JwksRefetchCooldown);
        options.FetchKeysOnStart = section.Boolean(nameof(options.FetchKeysOnStart), options.FetchKeysOnStart);
        options.MaxBodyBytes = section.Int32(nameof(options.MaxBodyBytes), options.MaxBodyBytes);
        options.ReplayProtection = section.Boolean(nameof(options.ReplayProtection), options.ReplayProtection);
        options.ReplayCacheFailureMode = section.Enum(nameof(options.ReplayCacheFailureMode), options.ReplayCacheFailureMode);
        foreach (var key in RemovedKeys)
        {
            var setting = section.GetSection(key);
            if (setting.Exists() && !options.IgnoredKeys.Contains(setting.Path))
            {
                options.IgnoredKeys.Add(setting.Path);
            }
        }
    }
}
