using Hanko.Webhooks.Internal;
using Microsoft.Extensions.Configuration;

namespace Hanko.Webhooks.Subscriptions;

/// <summary>
/// Binds a configuration section to <see cref="HankoWebhookSubscriptionOptions"/>, one line per setting, as the core binds
/// its options. A key the section does not set keeps the current value. Every public settable property of the options
/// class must have its line here (a test checks).
/// </summary>
internal static class HankoWebhookSubscriptionOptionsBinder
{
    public static void Bind(IConfiguration section, HankoWebhookSubscriptionOptions options)
    {
        options.AdminApiUrl = section.String(nameof(options.AdminApiUrl), options.AdminApiUrl);
        options.ApiKey = section.String(nameof(options.ApiKey), options.ApiKey);
        options.CallbackUrl = section.String(nameof(options.CallbackUrl), options.CallbackUrl);
        options.EnsureOnStart = section.Boolean(nameof(options.EnsureOnStart), options.EnsureOnStart);
        options.RemoveUnhandledEvents = section.Boolean(nameof(options.RemoveUnhandledEvents), options.RemoveUnhandledEvents);
        options.WatchInterval = section.TimeSpan(nameof(options.WatchInterval), options.WatchInterval);
        options.AutoReenable = section.Boolean(nameof(options.AutoReenable), options.AutoReenable);
        options.CatchUpRequestsPerSecond = section.Int32(nameof(options.CatchUpRequestsPerSecond), options.CatchUpRequestsPerSecond);
    }
}
