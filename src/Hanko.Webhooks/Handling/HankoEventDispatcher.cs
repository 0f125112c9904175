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

    public HankoEventDispatcher(IServiceScopeFactory scopes, ILogger<HankoEventDispatcher> logger)
    {
        _scopes = scopes;
        _logger = logger;
    }

    public async Task<HankoDispatchResult> DispatchAsync(HankoEvent @event, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var chain = Chains.GetOrAdd(@event.GetType(), HandlerSlot.ChainFor);
        var scope = _scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var count = 0;
            List<HankoHandlerFailure>? failures = null;
            foreach (var slot in chain)
            {
                foreach (var handler in slot.Resolve(scope.ServiceProvider))
                {
                    count++;
                    var telemetry = HankoTelemetry.StartHandler(@event.Name, handler.GetType());
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

            if (count == 0)
            {
                Log.NoHandler(_logger, @event.Name);
            }

            HankoTelemetry.RecordDispatched(@event.Name, failures is null);
            return new HankoDispatchResult(@event, count, failures ?? (IReadOnlyList<HankoHandlerFailure>)[]);
        }
    }
}
