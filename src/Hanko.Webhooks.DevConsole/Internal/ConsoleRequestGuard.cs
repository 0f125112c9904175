using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Hanko.Webhooks.DevConsole.Internal;

/// <summary>
/// The one gate in front of every console endpoint, a filter on the console's route group. The console holds a key the app
/// trusts, so a web page in the developer's browser must not reach it:
/// <list type="number">
/// <item>the client is on loopback (in-process test servers have no remote address and pass);</item>
/// <item>the <c>Host</c> header is <c>localhost</c>, <c>127.0.0.1</c> or <c>[::1]</c> with the port the request came in on: a page
/// whose own domain name was re-pointed to 127.0.0.1 (DNS rebinding) sends its own name, and is refused;</item>
/// <item>a state-changing request (any method but GET and HEAD) or a payload reveal comes from the console's own origin: a
/// browser sends <c>Origin</c> or <c>Sec-Fetch-Site</c> with every cross-site POST, so a foreign page is refused, while a script or
/// curl that sends neither is allowed.</item>
/// </list>
/// A refusal is a 403 problem whose title names the check and whose detail says why; it is logged (event id 204 or 205).
/// </summary>
internal sealed class ConsoleRequestGuard(ILogger logger) : IEndpointFilter
{
    private const int MaxEchoedLength = 100;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var remote = http.Connection.RemoteIpAddress;
        if (remote is not null && !IPAddress.IsLoopback(remote))
        {
            Log.RemoteClientRefused(logger, remote.ToString());
            await RefuseAsync(http, "NotLoopback", $"The Hanko development console answers loopback clients only; this request came from {remote}.").ConfigureAwait(false);
            return Results.Empty;
        }

        if (Check(http) is { } refusal)
        {
            Log.RequestRefused(logger, http.Request.Method, http.Request.Path.Value ?? string.Empty, refusal.Title, refusal.Detail);
            await RefuseAsync(http, refusal.Title, refusal.Detail).ConfigureAwait(false);
            return Results.Empty;
        }

        return await next(context).ConfigureAwait(false);
    }

    /// <summary>The Host and same-origin checks: the first one the request fails, or <see langword="null"/>.</summary>
    private static (string Title, string Detail)? Check(HttpContext context)
    {
        var request = context.Request;
        var host = request.Host;
        var port = host.Port ?? (request.IsHttps ? 443 : 80);
        var listening = context.Connection.LocalPort;
        var hostName = host.HasValue ? host.Host : string.Empty;

        if (!IsLoopbackName(hostName))
        {
            return ("HostNotLoopback",
                $"The Host header \"{Echo(host.Value)}\" does not name this machine. The development console answers only the host names "
                + $"localhost, 127.0.0.1 and [::1] with the port it listens on, so that a web page whose own domain name resolves to 127.0.0.1 "
                + $"(DNS rebinding) cannot use it. Open it as {OwnAddress(request, listening)}.");
        }

        // An in-process test server has no connection (no remote address, no port); the console's address is then its Host.
        if (context.Connection.RemoteIpAddress is not null && port != listening)
        {
            return ("HostPortMismatch",
                $"The Host header \"{Echo(host.Value)}\" names {(host.Port is null ? $"no port (so {port})" : $"port {port}")}, but this request came in on port {listening}. The development "
                + $"console answers only its own address, so that a web page whose domain name resolves to 127.0.0.1 (DNS rebinding) "
                + $"cannot use it. Open it as {OwnAddress(request, listening)}.");
        }

        if (!NeedsSameOrigin(context))
        {
            return null;
        }

        var what = HttpMethods.IsGet(request.Method) ? "A payload reveal" : $"A {request.Method} request";
        var ownOrigin = $"{request.Scheme}://{host.Value}";
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && !IsOwnOrigin(origin, request, port))
        {
            return ("CrossOrigin",
                $"{what} to the development console must come from its own page: the Origin header is \"{Echo(origin)}\", not {ownOrigin}. "
                + "A page on another site must not send or clear deliveries nor read their payloads (cross-site request forgery). "
                + "Scripts and curl may leave Origin out.");
        }

        var fetchSite = request.Headers["Sec-Fetch-Site"].ToString();
        if (fetchSite.Length > 0 && !fetchSite.Equals("same-origin", StringComparison.OrdinalIgnoreCase) && !fetchSite.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return ("CrossSiteRequest",
                $"{what} to the development console must come from its own page ({ownOrigin}): the browser marked it Sec-Fetch-Site: "
                + $"{Echo(fetchSite)}, and only same-origin (the console's page) or none (typed by you) are accepted, so that a page on "
                + "another site or port cannot send or clear deliveries nor read their payloads.");
        }

        return null;
    }

    private static bool NeedsSameOrigin(HttpContext context) =>
        !(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
        || context.GetEndpoint()?.Metadata.GetMetadata<PayloadReveal>() is not null;

    private static bool IsLoopbackName(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host == "127.0.0.1" || host == "[::1]";

    private static bool IsOwnOrigin(string origin, HttpRequest request, int port) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && uri.AbsolutePath == "/" && uri.Query.Length == 0 && uri.Fragment.Length == 0
        && uri.Scheme.Equals(request.Scheme, StringComparison.OrdinalIgnoreCase)
        && uri.Host.Equals(request.Host.Host, StringComparison.OrdinalIgnoreCase)
        && uri.Port == port;

    private static string OwnAddress(HttpRequest request, int listening) =>
        $"{request.Scheme}://localhost{(listening > 0 ? ":" + listening.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty)}{request.PathBase}{request.Path}";

    /// <summary>A header value as echoed in a refusal: shortened, so that a refusal stays a short message.</summary>
    private static string Echo(string? value) =>
        value is null ? string.Empty : value.Length <= MaxEchoedLength ? value : value[..MaxEchoedLength] + "…";

    private static Task RefuseAsync(HttpContext context, string title, string detail) =>
        ConsoleApi.WriteAsync(context, StatusCodes.Status403Forbidden, ConsoleJson.Problem(StatusCodes.Status403Forbidden, title, detail));

    /// <summary>Marks the endpoints that show a payload unmasked: they need the same origin as state-changing ones.</summary>
    internal sealed class PayloadReveal
    {
        public static readonly PayloadReveal Instance = new();
    }
}
