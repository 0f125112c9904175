using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Hanko.Webhooks;

/// <summary>
/// The Hanko projects this application maps a webhook endpoint for. <c>app.MapHankoWebhooks(...)</c> adds its project here,
/// so that the SDK can warn at start about a project whose handlers nothing delivers to, and does not register such a
/// project's URL with Hanko (<c>AddSubscriptions</c>). An ASP.NET Core application that receives through an endpoint of its
/// own (calling <see cref="IHankoWebhookReceiver"/>) adds its project too; a host without ASP.NET Core (<c>HttpListener</c>,
/// Azure Functions, a queue) needs nothing.
/// </summary>
public sealed class HankoWebhookEndpoints
{
    /// <summary>The name of the <see cref="DiagnosticListener"/> ASP.NET Core's web host registers (it maps endpoints).</summary>
    private const string AspNetCoreListener = "Microsoft.AspNetCore";

    private readonly ConcurrentDictionary<string, bool> _mapped = new(StringComparer.Ordinal);
    private readonly IServiceProvider _services;

    internal HankoWebhookEndpoints(IServiceProvider services) => _services = services;

    /// <summary>Records that an endpoint receives deliveries for <paramref name="project"/>.</summary>
    /// <param name="project">The project's name; <see langword="null"/> for the unnamed registration of <c>AddHankoWebhooks()</c>.</param>
    public void Add(string? project) => _mapped.TryAdd(Key(project), true);

    /// <summary>
    /// Whether nothing receives deliveries for <paramref name="project"/>: the application maps endpoints (it runs ASP.NET
    /// Core's web host, or added another project's endpoint) and none for this project. <see langword="false"/> in a host
    /// that receives otherwise. Meaningful once the host has started: endpoints are mapped before.
    /// </summary>
    /// <param name="project">The project's name; <see langword="null"/> for the unnamed registration of <c>AddHankoWebhooks()</c>.</param>
    /// <returns>Whether no endpoint receives for the project where one would be expected.</returns>
    public bool IsMissing(string? project) =>
        !_mapped.ContainsKey(Key(project)) && (!_mapped.IsEmpty || _services.GetService<DiagnosticListener>() is { Name: AspNetCoreListener });

    // A project name is never empty, so the empty key is the unnamed registration's.
    private static string Key(string? project) => project ?? string.Empty;
}
