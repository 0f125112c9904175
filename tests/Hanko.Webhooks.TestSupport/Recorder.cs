using System.Collections.Concurrent;

namespace Hanko.Webhooks.TestSupport;

/// <summary>What the test handlers saw, shared through DI as a singleton.</summary>
public sealed class Recorder
{
    private readonly ConcurrentQueue<(string Handler, HankoEvent Event)> _calls = new();

    /// <summary>Released by a test to let <see cref="GateHandler"/> finish.</summary>
    public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Set when <see cref="GateHandler"/> starts waiting.</summary>
    public SemaphoreSlim GateEntered { get; } = new(0);

    public IReadOnlyList<(string Handler, HankoEvent Event)> Calls => [.. _calls];

    public IReadOnlyList<HankoEvent> EventsSeenBy(string handler) => [.. _calls.Where(c => c.Handler == handler).Select(c => c.Event)];

    public void Add(string handler, HankoEvent @event) => _calls.Enqueue((handler, @event));

    public async Task WaitForAsync(Func<Recorder, bool> condition, string because)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition(this))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(because);
            }

            await Task.Delay(10);
        }
    }
}

public sealed class AllEventsHandler(Recorder recorder) : IHankoEventHandler<HankoEvent>
{
    public Task HandleAsync(HankoEvent @event, CancellationToken cancellationToken)
    {
        recorder.Add(nameof(AllEventsHandler), @event);
        return Task.CompletedTask;
    }
}

public sealed class ThrowingUserCreateHandler : IHankoEventHandler<UserCreateEvent>
{
    public Task HandleAsync(UserCreateEvent @event, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("boom");
}

public sealed class GateHandler(Recorder recorder) : IHankoEventHandler<HankoEvent>
{
    public async Task HandleAsync(HankoEvent @event, CancellationToken cancellationToken)
    {
        recorder.GateEntered.Release();
        await recorder.Gate.Task.WaitAsync(cancellationToken);
        recorder.Add(nameof(GateHandler), @event);
    }
}

public sealed class UserHandler(Recorder recorder) : IHankoEventHandler<UserEvent>
{
    public Task HandleAsync(UserEvent @event, CancellationToken cancellationToken)
    {
        recorder.Add(nameof(UserHandler), @event);
        return Task.CompletedTask;
    }
}

public sealed class SessionHandler(Recorder recorder) : IHankoEventHandler<SessionEvent>
{
    public Task HandleAsync(SessionEvent @event, CancellationToken cancellationToken)
    {
        recorder.Add(nameof(SessionHandler), @event);
        return Task.CompletedTask;
    }
}

public sealed class EmailHandler(Recorder recorder) : IHankoEventHandler<EmailSendEvent>
{
    public Task HandleAsync(EmailSendEvent @event, CancellationToken cancellationToken)
    {
        recorder.Add(nameof(EmailHandler), @event);
        return Task.CompletedTask;
    }
}
