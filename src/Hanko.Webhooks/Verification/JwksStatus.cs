namespace Hanko.Webhooks.Verification;

/// <summary>What the key store holds.</summary>
/// <param name="KeyCount">How many keys are held.</param>
/// <param name="FetchedAt">When they were fetched, or <see langword="null"/> when no fetch ever succeeded.</param>
/// <param name="IsStale">Whether the keys are overdue for a refresh or the last refresh failed.</param>
/// <param name="LastError">Why the last fetch failed, or <see langword="null"/>.</param>
internal readonly record struct JwksStatus(int KeyCount, DateTimeOffset? FetchedAt, bool IsStale, string? LastError);
