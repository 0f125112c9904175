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
    public static void Bind(IConfiguration section, HankoWebhookOptions options)
    {
        options.TenantId = section.String(nameof(options.TenantId), options.TenantId);
        options.ApiUrl = section.String(nameof(options.ApiUrl), options.ApiUrl);
        options.JwksUrl = section.String(nameof(options.JwksUrl), options.JwksUrl);
        options.Audience = section.String(nameof(options.Audience), options.Audience);
        options.AllowedAlgorithms = section.List(nameof(options.AllowedAlgorithms), options.AllowedAlgorithms);
        options.MaxTokenLifetime = section.TimeSpan(nameof(options.MaxTokenLifetime), options.MaxTokenLifetime);
        options.ClockSkew = section.TimeSpan(nameof(options.ClockSkew), options.ClockSkew);
        options.RequireHttpsJwks = section.Boolean(nameof(options.RequireHttpsJwks), options.RequireHttpsJwks);
        options.JwksRefreshInterval = section.TimeSpan(nameof(options.JwksRefreshInterval), options.JwksRefreshInterval);
        options.JwksMinimumRefreshInterval = section.TimeSpan(nameof(options.JwksMinimumRefreshInterval), options.JwksMinimumRefreshInterval);
        options.JwksMaximumRefreshInterval = section.TimeSpan(nameof(options.JwksMaximumRefreshInterval), options.JwksMaximumRefreshInterval);
        options.JwksRefetchCooldown = section.TimeSpan(nameof(options.JwksRefetchCooldown), options.JwksRefetchCooldown);
        options.JwksFetchTimeout = section.TimeSpan(nameof(options.JwksFetchTimeout), options.JwksFetchTimeout);
        options.FetchKeysOnStart = section.Boolean(nameof(options.FetchKeysOnStart), options.FetchKeysOnStart);
        options.MaxBodyBytes = section.Int32(nameof(options.MaxBodyBytes), options.MaxBodyBytes);
        options.ReplayProtection = section.Boolean(nameof(options.ReplayProtection), options.ReplayProtection);
        options.ReplayCacheFailureMode = section.Enum(nameof(options.ReplayCacheFailureMode), options.ReplayCacheFailureMode);
        options.ReplayCacheTimeout = section.TimeSpan(nameof(options.ReplayCacheTimeout), options.ReplayCacheTimeout);
    }
}
