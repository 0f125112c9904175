namespace Hanko.Webhooks;

/// <summary>
/// The deliveries durable processing gave up on (a handler failed on every attempt, threw
/// <see cref="HankoDoNotRetryException"/>, the data did not fit the SDK's models, or the stored entry could not be read).
/// Registered by <c>UseDurableProcessing()</c>; inject it into an admin endpoint or a tool.
/// </summary>
public interface IHankoDeadLetters
{
    /// <summary>How many dead letters there are.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The count.</returns>
    Task<long> CountAsync(CancellationToken cancellationToken = default);

    /// <summary>Lists dead letters, oldest first.</summary>
    /// <param name="count">At most this many.</param>
    /// <param name="after">Continue after this <see cref="HankoDeadLetter.Id"/> (paging); <see langword="null"/> from the start.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The dead letters.</returns>
    Task<IReadOnlyList<HankoDeadLetter>> ListAsync(int count = 100, string? after = null, CancellationToken cancellationToken = default);

    /// <summary>Moves a dead letter back to be processed again, with a fresh count of attempts (in one atomic step).</summary>
    /// <param name="id">The <see cref="HankoDeadLetter.Id"/>.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>Whether it existed.</returns>
    Task<bool> RetryAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Deletes a dead letter for good.</summary>
    /// <param name="id">The <see cref="HankoDeadLetter.Id"/>.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>Whether it existed.</returns>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default);
}
