namespace Hanko.Webhooks.Redis.Internal;

/// <summary>A signal many can wait for; a signal while nobody waits is kept for the next wait.</summary>
internal sealed class Wakeup
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Signal() => Volatile.Read(ref _next).TrySetResult();

    /// <summary>Waits for a signal (or until cancelled).</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref _next);
        await current.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        Interlocked.CompareExchange(ref _next, new(TaskCreationOptions.RunContinuationsAsynchronously), current);
    }

    /// <summary>Waits for a signal or the timeout, whichever is first.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref _next);
        try
        {
            await current.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return;
        }

        Interlocked.CompareExchange(ref _next, new(TaskCreationOptions.RunContinuationsAsynchronously), current);
    }
}
