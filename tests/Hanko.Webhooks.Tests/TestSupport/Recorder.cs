using System.Collections.Concurrent;

namespace Hanko.Webhooks.Tests.TestSupport;

/// <summary>Collects which handler saw which event, in order.</summary>
internal sealed class Recorder
{
    public ConcurrentQueue<(Type HandlerFor, string EventName, HankoEvent Event)> Calls { get; } = new();

    public IReadOnlyList<Type> HandlerTypesCalled => Calls.Select(c => c.HandlerFor).ToList();
}

/// <summary>A handler of <typeparamref name="T"/> that records each call.</summary>
internal sealed class RecordingHandler<T>(Recorder recorder) : IHankoEventHandler<T>
    where T : HankoEvent
{
    public Task HandleAsync(T @event, CancellationToken cancellationToken)
    {
        recorder.Calls.Enqueue((typeof(T), @event.Name, @event));
        return Task.CompletedTask;
    }
}
