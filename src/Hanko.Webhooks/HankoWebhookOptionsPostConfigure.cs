using Microsoft.Extensions.Options;

namespace Hanko.Webhooks;

/// <summary>
/// Derives what follows from <see cref="HankoWebhookOptions"/> once, after every <c>Configure</c> has run (as JwtBearer's
/// <c>JwtBearerPostConfigureOptions</c> does): the JWKS URL from <c>TenantId</c>, <c>ApiUrl</c> or <c>JwksUrl</c>.
/// <see cref="HankoWebhookOptionsValidator"/> then only checks.
/// </summary>
internal sealed class HankoWebhookOptionsPostConfigure : IPostConfigureOptions<HankoWebhookOptions>
{
    public void PostConfigure(string? name, HankoWebhookOptions options) => Apply(options, HankoProject.FromOptionsName(name));

    /// <summary>Sets <see cref="HankoWebhookOptions.JwksSource"/>; for options built without dependency injection too.</summary>
    /// <param name="options">The options.</param>
    /// <param name="project">The project they belong to, named in the messages; <see langword="null"/> for the unnamed one.</param>
    public static void Apply(HankoWebhookOptions options, string? project = null)
    {
        var errors = new List<string>(1);
        var uri = ResolveJwksUri(options, errors, HankoProject.SectionFor(project));
        options.JwksSource = new JwksSource(uri, errors.Count > 0 ? errors[0] : null, (options.TenantId, options.ApiUrl, options.JwksUrl, options.RequireHttpsJwks));
    }

    /// <summary>
    /// The derived source; derived again only if a post-configure registered after this one (the development console's)
    /// changed the key settings since.
    /// </summary>
    public static JwksSource SourceOf(HankoWebhookOptions options, string? project = null)
    {
        if (options.JwksSource is not { } source || source.From != (options.TenantId, options.ApiUrl, options.JwksUrl, options.RequireHttpsJwks))
        {
            Apply(options, project);
        }

        return options.JwksSource!;
    }

    internal static Uri? ResolveJwksUri(HankoWebhookOptions options, List<string> errors, string section)
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
            errors.Add($"No Hanko key source is configured. Set {section}:TenantId (Hanko Cloud project id), {section}:ApiUrl (your Hanko public API URL) or {section}:JwksUrl.");
            return null;
        }

        if (sources.Count > 1)
        {
            errors.Add($"Set only one of {section}:TenantId, ApiUrl and JwksUrl; found {string.Join(" and ", sources)}.");
            return null;
        }

        string url;
        string setting;
        if (sources[0] == "TenantId")
        {
            var tenant = options.TenantId!.Trim();
            if (!tenant.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') || tenant.StartsWith('-') || tenant.Length > 63)
            {
                errors.Add($"{section}:TenantId \"{tenant}\" is not a Hanko Cloud tenant id (the project id, e.g. 1d2b3c4d-…, letters, digits and '-').");
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
            errors.Add($"{section}:{setting} \"{url}\" is not an absolute http(s) URL.");
            return null;
        }

        if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            if (setting == "ApiUrl")
            {
                errors.Add($"{section}:ApiUrl \"{url}\" has a query or fragment; give the base URL of the Hanko public API.");
                return null;
            }
        }

        if (uri.Scheme == Uri.UriSchemeHttp && options.RequireHttpsJwks && !HankoWebhookOptionsValidator.IsInsecureLoopback(uri))
        {
            errors.Add($"{section}:{setting} \"{url}\" uses plain http. Hanko's keys must be read over https (plain http is allowed only to localhost); set {section}:RequireHttpsJwks to false only on a trusted private network.");
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
internal sealed record JwksSource(Uri? Uri, string? Error, (string? TenantId, string? ApiUrl, string? JwksUrl, bool RequireHttps) From)
{
    /// <summary>Whether no key source at all is set (none of <c>TenantId</c>, <c>ApiUrl</c>, <c>JwksUrl</c>).</summary>
    public bool IsMissing => string.IsNullOrWhiteSpace(From.TenantId) && string.IsNullOrWhiteSpace(From.ApiUrl) && string.IsNullOrWhiteSpace(From.JwksUrl);
}
