namespace Hanko.Webhooks.Receiving;

/// <summary>
/// A named project's view of the app's own <see cref="IHankoReplayClaimStore"/> (one registered without a key): every
/// delivery id is given as <c>project:{name}:{id}</c>, so that the same delivery on two projects is not a replay of the other.
/// </summary>
internal sealed class ProjectReplayClaimStore(IHankoReplayClaimStore inner, string project) : IHankoReplayClaimStore
{
    private readonly string _prefix = $"project:{project}:";

    public ValueTask<bool> TryClaimAsync(string deliveryId, string owner, TimeSpan lifetime, CancellationToken cancellationToken) =>
        inner.TryClaimAsync(_prefix + deliveryId, owner, lifetime, cancellationToken);

    public ValueTask ReleaseAsync(string deliveryId, string owner, CancellationToken cancellationToken) =>
        inner.ReleaseAsync(_prefix + deliveryId, owner, cancellationToken);

    /// <summary>
    /// The claim store of <paramref name="project"/>: its own (registered with the project's name as key, as
    /// <c>AddHankoWebhooks("eu").UseRedis()</c> does), else the app's, namespaced for the project.
    /// </summary>
    public static IHankoReplayClaimStore For(IServiceProvider services, string? project)
    {
        var shared = (IHankoReplayClaimStore?)services.GetService(typeof(IHankoReplayClaimStore))
            ?? throw new InvalidOperationException("No IHankoReplayClaimStore is registered.");
        if (project is null)
        {
            return shared;
        }

        if (services is Microsoft.Extensions.DependencyInjection.IKeyedServiceProvider keyed
            && keyed.GetKeyedService(typeof(IHankoReplayClaimStore), project) is IHankoReplayClaimStore own)
        {
            return own;
        }

        return shared is DistributedCacheReplayClaimStore cache ? cache.ForProject(project) : new ProjectReplayClaimStore(shared, project);
    }
}
