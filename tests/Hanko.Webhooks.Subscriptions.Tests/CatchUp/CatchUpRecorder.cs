using System.Collections.Concurrent;

namespace Hanko.Webhooks.Subscriptions.Tests.CatchUp;

/// <summary>What the handlers of a catch-up test saw: every catch-up event, and anything that reached Hanko's own event types.</summary>
internal sealed class CatchUpRecorder
{
    public ConcurrentQueue<UserCatchUpEvent> CaughtUp { get; } = new();

    public ConcurrentQueue<HankoEvent> HankoEvents { get; } = new();

    /// <summary>When set, the catch-up handler throws (a user store that is down).</summary>
    public volatile bool Fail;

    public static void AddHandlers(HankoWebhooksBuilder builder) =>
        builder.AddHandler<CatchUpHandler>().AddHandler<AnyUserHandler>().AddHandler<AnyEventHandler>();

    internal sealed class CatchUpHandler(CatchUpRecorder recorder) : IHankoEventHandler<UserCatchUpEvent>
    {
        public Task HandleAsync(UserCatchUpEvent @event, CancellationToken cancellationToken)
        {
            if (recorder.Fail)
            {
                throw new InvalidOperationException("The user store is down.");
            }

            recorder.CaughtUp.Enqueue(@event);
            return Task.CompletedTask;
        }
    }

    internal sealed class AnyUserHandler(CatchUpRecorder recorder) : IHankoEventHandler<UserEvent>
    {
        public Task HandleAsync(UserEvent @event, CancellationToken cancellationToken)
        {
            recorder.HankoEvents.Enqueue(@event);
            return Task.CompletedTask;
        }
    }

    internal sealed class AnyEventHandler(CatchUpRecorder recorder) : IHankoEventHandler<HankoEvent>
    {
        public Task HandleAsync(HankoEvent @event, CancellationToken cancellationToken)
        {
            recorder.HankoEvents.Enqueue(@event);
            return Task.CompletedTask;
        }
    }
}
