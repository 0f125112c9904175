using System.Net.Http.Headers;

namespace Hanko.Webhooks.Receiving;

/// <summary>The content type rule of a delivery: <c>application/json</c>, with or without parameters; a charset, if given, must be UTF-8.</summary>
internal static class MediaTypes
{
    public static bool IsJson(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType) || !MediaTypeHeaderValue.TryParse(contentType, out var media))
        {
            return false;
        }

        if (!string.Equals(media.MediaType, "application/json", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var charset = media.CharSet?.Trim('"');
        return charset is null || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase);
    }
}
