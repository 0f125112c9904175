using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Hanko.Webhooks.DevConsole.Internal;

/// <summary>
/// Reads the dispatcher's "handler failed" log (event id 30, with the exception) and the receiver's "refused" log (event id 23,
/// with the reason the answer's problem detail gives) so that the console can show what spans never carry: the exception's
/// message and the refusal's reason. Development only: registered by <c>UseDevelopmentHanko()</c> when the host is not known to
/// be another environment, and inert until the console is mapped.
/// </summary>
internal sealed class HandlerFailureLoggerProvider(DeliveryLog log) : ILoggerProvider
{
    private const string DispatcherCategory = "Hanko.Webhooks"; // the documented category of the core's log events (ids 1-99)
    private const int HandlerFailedEventId = 30;
    private const int DeliveryRefusedEventId = 23; // logged at Warning or Error (docs/telemetry.md, "Log events")

    public ILogger CreateLogger(string categoryName) =>
        categoryName == DispatcherCategory ? new DispatcherLogger(log) : NullLoggerInstance;

    public void Dispose()
    {
    }

    private static readonly ILogger NullLoggerInstance = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    private sealed class DispatcherLogger(DeliveryLog log) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (state is not IReadOnlyList<KeyValuePair<string, object?>> values)
            {
                return;
            }

            if (eventId.Id == DeliveryRefusedEventId)
            {
                if (values.FirstOrDefault(v => v.Key == "Reason").Value is string { Length: > 0 } reason)
                {
                    log.RecordRefusal(Activity.Current, reason);
                }

                return;
            }

            if (eventId.Id != HandlerFailedEventId || exception is null)
            {
                return;
            }

            var handlerType = values.FirstOrDefault(v => v.Key == "HandlerType").Value as string;
            if (handlerType is not null)
            {
                log.RecordHandlerException(Activity.Current, handlerType, exception);
            }
        }
    }
}
