using Microsoft.Extensions.Options;

namespace Hanko.Webhooks.Subscriptions;

/// <summary>Checks <see cref="HankoWebhookSubscriptionOptions"/> when the host starts, with messages that say what to set.</summary>
internal sealed class HankoWebhookSubscriptionOptionsValidator : IValidateOptions<HankoWebhookSubscriptionOptions>
{
    public ValidateOptionsResult Validate(string? name, HankoWebhookSubscriptionOptions options)
    {
        var project = SubscriptionProject.FromOptionsName(name);
        var errors = Validate(options, project);
        return errors.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(project is null ? errors : errors.Select(e => $"Hanko project \"{project}\": {e}"));
    }

    /// <summary>The section a project's subscription settings are read from last: <c>Hanko:Webhooks:Subscriptions</c>, or <c>Hanko:Webhooks:Projects:{name}:Subscriptions</c>.</summary>
    public static string SectionFor(string? project) =>
        project is null ? HankoWebhookSubscriptionOptions.SectionName : $"{SubscriptionProject.SectionFor(project)}:Subscriptions";

    private static List<string> Validate(HankoWebhookSubscriptionOptions options, string? project)
    {
        var section = SectionFor(project);
        var errors = new List<string>();
        var baseAddress = options.AdminApiBaseAddress;
        if (baseAddress is null)
        {
            errors.Add(string.IsNullOrWhiteSpace(options.AdminApiUrl)
                ? $"No Hanko Admin API is configured: set {section}:AdminApiUrl (self-hosted admin server, e.g. http://hanko:8001) or, for Hanko Cloud, the project's {SubscriptionProject.SectionFor(project)}:TenantId."
                : $"{section}:AdminApiUrl \"{options.AdminApiUrl}\" is not an absolute http(s) URL.");
        }
        else if (!string.IsNullOrEmpty(options.ApiKey) && baseAddress.Scheme == Uri.UriSchemeHttp && !SubscriptionText.IsLoopback(baseAddress))
        {
            errors.Add($"{section}:ApiKey is set but the Admin API \"{baseAddress}\" is plain http: the key would cross the network unencrypted. Use https (or no key for a self-hosted admin server behind your own proxy).");
        }

        if (options.ApiKey is { } key && (string.IsNullOrWhiteSpace(key) || key.Any(char.IsControl)))
        {
            errors.Add($"{section}:ApiKey is blank or holds control characters; set the key from Hanko Cloud's Settings > API Keys, or remove it.");
        }

        var needsCallback = options.EnsureOnStart || options.WatchInterval is not null || options.AutoReenable;
        if (options.CallbackUrl is { } callback)
        {
            if (!Uri.TryCreate(callback, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                errors.Add($"{section}:CallbackUrl \"{SubscriptionText.Redact(callback)}\" is not an absolute http(s) URL; set it to the public URL Hanko delivers to (e.g. https://app.example.com/webhooks/hanko).");
            }
        }
        else if (needsCallback)
        {
            errors.Add($"{section}:CallbackUrl is required for EnsureOnStart, WatchInterval and AutoReenable; set it to the public URL Hanko delivers to (e.g. https://app.example.com/webhooks/hanko).");
        }

        if (options.AutoReenable && options.WatchInterval is null)
        {
            errors.Add($"{section}:AutoReenable needs {section}:WatchInterval (for example 00:05:00): the watch is what notices a disabled hook.");
        }

        if (options.WatchInterval is { } interval)
        {
            RequireRange(errors, section, nameof(options.WatchInterval), interval, TimeSpan.FromMilliseconds(100), TimeSpan.FromDays(1));
        }

        if (options.CatchUpRequestsPerSecond is < 1 or > 1000)
        {
            errors.Add($"{section}:CatchUpRequestsPerSecond is {options.CatchUpRequestsPerSecond}; it must be between 1 and 1000 (10 by default).");
        }

        return errors;
    }

    private static void RequireRange(List<string> errors, string section, string setting, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{section}:{setting} is {value}; it must be between {min} and {max}.");
        }
    }
}
