using Microsoft.Extensions.Options;

namespace Hanko.Webhooks.Subscriptions;

/// <summary>Derives <see cref="HankoWebhookSubscriptionOptions.AdminApiBaseAddress"/> from the URL or the project's tenant id.</summary>
/// <remarks>A named project's subscription options are named like its <see cref="HankoWebhookOptions"/>, whose tenant id they use.</remarks>
internal sealed class HankoWebhookSubscriptionPostConfigure(IOptionsMonitor<HankoWebhookOptions> webhookOptions)
    : IPostConfigureOptions<HankoWebhookSubscriptionOptions>
{
    public void PostConfigure(string? name, HankoWebhookSubscriptionOptions options)
    {
        options.AdminApiBaseAddress = Resolve(options, webhookOptions.Get(name ?? Options.DefaultName).TenantId);
    }

    /// <summary>The base address with a trailing slash (so that relative paths append), or <see langword="null"/> when none can be made.</summary>
    public static Uri? Resolve(HankoWebhookSubscriptionOptions options, string? tenantId)
    {
        var url = !string.IsNullOrWhiteSpace(options.AdminApiUrl)
            ? options.AdminApiUrl.Trim()
            : tenantId is { Length: > 0 } tenant && Uri.CheckHostName(tenant + ".hanko.io") == UriHostNameType.Dns
                ? $"https://{tenant}.hanko.io/admin"
                : null;
        if (url is null || !Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var uri))
        {
            return null;
        }

        return uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps ? uri : null;
    }
}
