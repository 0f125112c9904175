using System.Net;

namespace Hanko.Webhooks.Subscriptions;

/// <summary>How URLs and remote text are shown in log lines and exception messages.</summary>
internal static class SubscriptionText
{
    /// <summary>
    /// A URL without its query, fragment and user info, which may hold a secret (some put a token into the callback's
    /// query string); <c>?…</c> shows that something was left out.
    /// </summary>
    public static string Redact(string? url)
    {
        if (url is null)
        {
            return "(none)";
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return "(not a URL)";
        }

        var shown = uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
        return uri.Query.Length > 1 || uri.Fragment.Length > 1 || uri.UserInfo.Length > 0 ? shown + "?…" : shown;
    }

    /// <summary>Whether <paramref name="uri"/> points at this machine (<c>localhost</c> or a loopback address).</summary>
    public static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    /// <summary>Text from the remote side, shortened to one line and with <paramref name="secret"/> removed should it be echoed.</summary>
    public static string Sanitize(string text, string? secret)
    {
        if (!string.IsNullOrEmpty(secret))
        {
            text = text.Replace(secret, "***", StringComparison.Ordinal);
        }

        var chars = text.Take(300).Select(c => char.IsControl(c) ? ' ' : c).ToArray();
        return new string(chars).Trim() + (text.Length > 300 ? "…" : string.Empty);
    }
}
