using System.Collections.Concurrent;
using Hanko.Webhooks.Diagnostics;
using Hanko.Webhooks.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hanko.Webhooks.Handling;

/// <summary>
/// Resolves and runs handlers along the event's type chain (<c>UserEmailCreateEvent</c> → <c>UserEmailEvent</c> →
/// <c>UserUpdateEvent</c> → <c>UserEvent</c> → <c>HankoEvent</c>), which is Hanko's prefix rule expressed in types.
/// </summary>
internal sealed class HankoEventDispatcher : IHankoEventDispatcher
{
    private static readonly ConcurrentDictionary<Type, HandlerSlot[]> Chains = new();

    private readonly IServiceScopeFactory _scopes;
    private readonly ILogger _logger;

    public HankoEventDispatcher(IServiceScopeFactory scopes, ILoggerFactory loggers)
    {
        _scopes = scopes;
        _logger = loggers.CreateLogger("Hanko.Webhooks"); // the category of every core log message (ids 1-99)
    }

    public Task<HankoDispatchResult> DispatchAsync(HankoEvent @event, CancellationToken cancellationToken = default) =>
        DispatchAsync(@event, attempt: 1, cancellationToken);

    public async Task<HankoDispatchResult> DispatchAsync(HankoEvent @event, int attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(@event);
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var chain = Chains.GetOrAdd(@event.GetType(), HandlerSlot.ChainFor);
        var scope = _scopes.CreateAsyncScope();
        scope.ServiceProvider.GetService<HankoDeliveryContext>()?.Set(@event, attempt);
        var count = 0;
        List<HankoHandlerFailure>? failures = null;
        try
        {
            foreach (var slot in chain)
            {
                IEnumerable<object> handlers;
                try
                {
                    // Materialized here, so that a handler whose constructor throws is a failure like any other.
                    handlers = [.. slot.Resolve(scope.ServiceProvider)];
                }
#pragma warning disable CA1031 // A handler that cannot be created fails this delivery; the other event types' handlers still run.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    count++;
                    Log.HandlerFailed(_logger, ex, slot.ServiceType.Name, @event.Name);
                    (failures ??= []).Add(new HankoHandlerFailure(slot.ServiceType, slot.EventType, ex));
                    continue;
                }

                foreach (var handler in handlers)
                {
                    count++;
                    var telemetry = HankoSpans.StartHandler(@event.Name, handler.GetType());
                    try
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        await slot.InvokeAsync(handler, @event, cancellationToken).ConfigureAwait(false);
                        telemetry.Complete(null);
                    }
#pragma warning disable CA1031 // Any handler exception is collected: the other handlers must still run.
                    catch (Exception ex)
#pragma warning restore CA1031
                    {
                        telemetry.Complete(ex);
                        Log.HandlerFailed(_logger, ex, handler.GetType().FullName ?? handler.GetType().Name, @event.Name);
                        (failures ??= []).Add(new HankoHandlerFailure(handler.GetType(), slot.EventType, ex));
                    }
                }
            }
        }
        finally
        {
            try
            {
                await scope.DisposeAsync().ConfigureAwait(false);
            }
#pragma warning disable CA1031 // The handlers have run; a failing Dispose of a scoped service must not turn that into a failed delivery.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.ScopeDisposeFailed(_logger, ex, @event.Name);
            }
        }

        if (count == 0)
        {
            Log.NoHandler(_logger, @event.Name);
        }

        return new HankoDispatchResult(@event, count, failures ?? (IReadOnlyList<HankoHandlerFailure>)[]);
    }
}
