using StackExchange.Redis;

namespace Hanko.Webhooks.Redis.Internal;

/// <summary>
/// The keys of one app's project: all under one Redis Cluster hash tag, so that every script touches one shard. A named
/// project's prefix is <c>{KeyPrefix}:{project}</c>, so each project has its own claims, stream, retries, dead letters and
/// consumer group (and its own hash tag: projects spread over the shards).
/// </summary>
internal sealed class RedisKeys
{
    public const string Group = "hanko-workers";

    /// <summary>The prefix of <paramref name="project"/>'s keys: <paramref name="keyPrefix"/>, and <c>:{project}</c> for a named project.</summary>
    public static string PrefixFor(string keyPrefix, string? project) => project is null ? keyPrefix : keyPrefix + ":" + project;

    public RedisKeys(string prefix)
    {
        Prefix = prefix;
        var tag = "{" + prefix + "}";
        ClaimPrefix = tag + ":claim:";
        Stream = tag + ":stream";
        Retry = tag + ":retry";
        Dead = tag + ":dead";
        Probe = tag + ":probe";
    }

    public string Prefix { get; }

    public string ClaimPrefix { get; }

    public RedisKey Stream { get; }

    public RedisKey Retry { get; }

    public RedisKey Dead { get; }

    /// <summary>The instances' Data Protection probes (<see cref="KeyRingProbe"/>).</summary>
    public RedisKey Probe { get; }

    public RedisKey Claim(string deliveryId) => ClaimPrefix + deliveryId;
}
