using Microsoft.Extensions.Options;

namespace Hanko.Webhooks;

/// <summary>
/// Derives what follows from <see cref="HankoWebhookOptions"/> once, after every <c>Configure</c> has run (as JwtBearer's
/// <c>JwtBearerPostConfigureOptions</c> does): the JWKS URL from <c>TenantId</c>, <c>ApiUrl</c> or <c>JwksUrl</c>.
/// <see cref="HankoWebhookOptionsValidator"/> then only checks.
/// </summary>
internal sealed class HankoWebhookOptionsPostConfigure : IPostConfigureOptions<HankoWebhookOptions>
{
    private const string Section = HankoWebhookOptions.SectionName;

    public void PostConfigure(string? name, HankoWebhookOptions options) => Apply(options);

    /// <summary>Sets <see cref="HankoWebhookOptions.JwksSource"/>; for options built without dependency injection too.</summary>
    public static void Apply(HankoWebhookOptions options)
    {
        var errors = new List<string>(1);
        var uri = ResolveJwksUri(options, errors);
        options.JwksSource = new JwksSource(uri, errors.Count > 0 ? errors[0] : null, (options.TenantId, options.ApiUrl, options.JwksUrl, options.RequireHttpsJwks));
    }

    /// <summary>
    /// The derived source; derived again only if a post-configure registered after this one (the development console's)
    /// changed the key settings since.
    /// </summary>
    public static JwksSource SourceOf(HankoWebhookOptions options)
    {
        if (options.JwksSource is not { } source || source.From != (options.TenantId, options.ApiUrl, options.JwksUrl, options.RequireHttpsJwks))
        {
            Apply(options);
        }

        return options.JwksSource!;
    }

    internal static Uri? ResolveJwksUri(HankoWebhookOptions options, List<string> errors)
    {
        var sources = new List<string>(3);
        if (!string.IsNullOrWhiteSpace(options.TenantId))
        {
            sources.Add("TenantId");
        }

        if (!string.IsNullOrWhiteSpace(options.ApiUrl))
        {
            sources.Add("ApiUrl");
        }

        if (!string.IsNullOrWhiteSpace(options.JwksUrl))
        {
            sources.Add("JwksUrl");
        }

        if (sources.Count == 0)
        {
            errors.Add($"No Hanko key source is configured. Set {Section}:TenantId (Hanko Cloud project id), {Section}:ApiUrl (your Hanko public API URL) or {Section}:JwksUrl.");
            return null;
        }

        if (sources.Count > 1)
        {
            errors.Add($"Set only one of {Section}:TenantId, ApiUrl and JwksUrl; found {string.Join(" and ", sources)}.");
            return null;
        }

        string url;
        string setting;
        if (sources[0] == "TenantId")
        {
            var tenant = options.TenantId!.Trim();
            if (!tenant.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') || tenant.StartsWith('-') || tenant.Length > 63)
            {
                errors.Add($"{Section}:TenantId \"{tenant}\" is not a Hanko Cloud tenant id (the project id, e.g. 1d2b3c4d-…, letters, digits and '-').");
                return null;
            }

            return new Uri($"https://{tenant.ToLowerInvariant()}.hanko.io/.well-known/jwks.json");
        }

        if (sources[0] == "ApiUrl")
        {
            setting = "ApiUrl";
            url = options.ApiUrl!.Trim();
        }
        else
        {
            setting = "JwksUrl";
            url = options.JwksUrl!.Trim();
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            errors.Add($"{Section}:{setting} \"{url}\" is not an absolute http(s) URL.");
            return null;
        }

        if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            if (setting == "ApiUrl")
            {
                errors.Add($"{Section}:ApiUrl \"{url}\" has a query or fragment; give the base URL of the Hanko public API.");
                return null;
            }
        }

        if (uri.Scheme == Uri.UriSchemeHttp && options.RequireHttpsJwks && !HankoWebhookOptionsValidator.IsInsecureLoopback(uri))
        {
            errors.Add($"{Section}:{setting} \"{url}\" uses plain http. Hanko's keys must be read over https (plain http is allowed only to localhost); set {Section}:RequireHttpsJwks to false only on a trusted private network.");
            return null;
        }

        if (setting == "ApiUrl")
        {
            uri = new Uri(uri.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/.well-known/jwks.json");
        }

        return uri;
    }
}

/// <summary>The JWKS URL derived from the options, or why none could be.</summary>
internal sealed record JwksSource(Uri? Uri, string? Error, (string? TenantId, string? ApiUrl, string? JwksUrl, bool RequireHttps) From);
