using Microsoft.Extensions.Logging;

namespace Hanko.Webhooks.DevConsole;

/// <summary>Every log message of Hanko.Webhooks.DevConsole, with stable event ids from 200 on (core 1–99, ASP.NET Core 100–199).</summary>
internal static partial class Log
{
    public const string Category = "Hanko.Webhooks.DevConsole";

    [LoggerMessage(200, LogLevel.Warning, "Development Hanko: signing webhook deliveries locally{ForProjects} because {Reason} Never use this outside development.", EventName = "LocalHanko")]
    public static partial void LocalHanko(ILogger logger, string forProjects, string reason);

    [LoggerMessage(201, LogLevel.Information, "Development Hanko: not signing deliveries because {Reason}", EventName = "NotSigning")]
    public static partial void NotSigning(ILogger logger, string reason);

    [LoggerMessage(202, LogLevel.Warning, "The Hanko webhooks development console was not mapped at {Pattern}: {Reason}", EventName = "ConsoleNotMapped")]
    public static partial void ConsoleNotMapped(ILogger logger, string pattern, string reason);

    [LoggerMessage(203, LogLevel.Information, "Hanko webhooks development console: {Url} (JSON API under {Pattern}/api). Development only.", EventName = "ConsoleMapped")]
    public static partial void ConsoleMapped(ILogger logger, string url, string pattern);

    [LoggerMessage(206, LogLevel.Warning, "Hanko webhooks development console: {Url} is redirected ({StatusCode}) to {RedirectedUrl} by the app's HTTPS redirection (app.UseHttpsRedirection()): open {RedirectedUrl}, or keep HTTPS redirection out of Development. Hanko's deliveries to the http address are redirected too, and lost (docs/endpoint.md, \"Never a 3xx\").", EventName = "ConsoleRedirected")]
    public static partial void ConsoleRedirected(ILogger logger, string url, int statusCode, string redirectedUrl);

    [LoggerMessage(204, LogLevel.Warning, "The development console refused a request from {RemoteAddress}: only loopback clients may use it.", EventName = "RemoteClientRefused")]
    public static partial void RemoteClientRefused(ILogger logger, string remoteAddress);

    [LoggerMessage(205, LogLevel.Warning, "The development console refused {Method} {Path} with 403 {Check}: {Reason}", EventName = "RequestRefused")]
    public static partial void RequestRefused(ILogger logger, string method, string path, string check, string reason);
}
