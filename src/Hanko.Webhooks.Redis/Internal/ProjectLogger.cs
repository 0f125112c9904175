using Microsoft.Extensions.Logging;

namespace Hanko.Webhooks.Redis.Internal;

/// <summary>
/// The logger of a named project's durable workers: each of their own lines is written in the project's log scope
/// (<c>Hanko project {HankoProject}</c>, the core's), opened around that line only. Not around the runs: the receiver opens
/// the scope for a run and its handlers' lines (<see cref="IHankoWebhookReceiver.ProcessHandedOffAsync"/>), so that a scope
/// around the worker's loops would put the project twice on every handler line.
/// </summary>
internal sealed class ProjectLogger : ILogger
{
    private static readonly Func<ILogger, string, IDisposable?> Scope = LoggerMessage.DefineScope<string>("Hanko project {HankoProject}");

    private readonly ILogger _inner;
    private readonly string _project;

    private ProjectLogger(ILogger inner, string project) => (_inner, _project) = (inner, project);

    /// <summary><paramref name="logger"/> with each line in <paramref name="project"/>'s scope; itself for the unnamed project.</summary>
    public static ILogger For(ILogger logger, string? project) => project is null ? logger : new ProjectLogger(logger, project);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => _inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => _inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        using var scope = Scope(_inner, _project);
        _inner.Log(logLevel, eventId, state, exception, formatter);
    }
}
