using Microsoft.Extensions.Options;

namespace Hanko.Webhooks.Subscriptions;

/// <summary>Checks <see cref="HankoWebhookSubscriptionOptions"/> when the host starts, with messages that say what to set.</summary>
internal sealed class HankoWebhookSubscriptionOptionsValidator : IValidateOptions<HankoWebhookSubscriptionOptions>
{
    private const string Section = HankoWebhookSubscriptionOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, HankoWebhookSubscriptionOptions options)
    {
        var errors = new List<string>();
        var baseAddress = options.AdminApiBaseAddress;
        if (baseAddress is null)
        {
            errors.Add(string.IsNullOrWhiteSpace(options.AdminApiUrl)
                ? $"No Hanko Admin API is configured: set {Section}:AdminApiUrl (self-hosted admin server, e.g. http://hanko:8001) or a tenant id ({Section}:TenantId or {HankoWebhookOptions.SectionName}:TenantId for Hanko Cloud)."
                : $"{Section}:AdminApiUrl \"{options.AdminApiUrl}\" is not an absolute http(s) URL.");
        }
        else if (!string.IsNullOrEmpty(options.ApiKey) && baseAddress.Scheme == Uri.UriSchemeHttp && !HankoWebhookOptionsValidator.IsInsecureLoopback(baseAddress))
        {
            errors.Add($"{Section}:ApiKey is set but the Admin API \"{baseAddress}\" is plain http: the key would cross the network unencrypted. Use https (or no key for a self-hosted admin server behind your own proxy).");
        }

        if (options.ApiKey is { } key && (string.IsNullOrWhiteSpace(key) || key.Any(char.IsControl)))
        {
            errors.Add($"{Section}:ApiKey is blank or holds control characters; set the key from Hanko Cloud's Settings > API Keys, or remove it.");
        }

        var needsCallback = options.EnsureOnStart || options.Watch || options.AutoReenable;
        if (options.CallbackUrl is { } callback)
        {
            if (!Uri.TryCreate(callback, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                errors.Add($"{Section}:CallbackUrl \"{SubscriptionText.Redact(callback)}\" is not an absolute http(s) URL; set it to the public URL Hanko delivers to (e.g. https://app.example.com/webhooks/hanko).");
            }
        }
        else if (needsCallback)
        {
            errors.Add($"{Section}:CallbackUrl is required for EnsureOnStart, Watch and AutoReenable; set it to the public URL Hanko delivers to (e.g. https://app.example.com/webhooks/hanko).");
        }

        if (options.AutoReenable && !options.Watch)
        {
            errors.Add($"{Section}:AutoReenable needs {Section}:Watch: the watch is what notices a disabled hook.");
        }

        RequireRange(errors, nameof(options.WatchInterval), options.WatchInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromDays(1));
        RequireRange(errors, nameof(options.ExpiryWarning), options.ExpiryWarning, TimeSpan.Zero, TimeSpan.FromDays(30));
        RequireRange(errors, nameof(options.ReenableMinimumInterval), options.ReenableMinimumInterval, TimeSpan.Zero, TimeSpan.FromDays(30));
        RequireRange(errors, nameof(options.RequestTimeout), options.RequestTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10));
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void RequireRange(List<string> errors, string setting, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{Section}:{setting} is {value}; it must be between {min} and {max}.");
        }
    }
}
