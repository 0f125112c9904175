using StackExchange.Redis;

namespace Hanko.Webhooks.Redis.Internal;

/// <summary>The keys of one app: all under one Redis Cluster hash tag, so that every script touches one shard.</summary>
internal sealed class RedisKeys
{
    public const string Group = "hanko-workers";

    public RedisKeys(string prefix)
    {
        Prefix = prefix;
        var tag = "{" + prefix + "}";
        ClaimPrefix = tag + ":claim:";
        Stream = tag + ":stream";
        Retry = tag + ":retry";
        Dead = tag + ":dead";
    }

    public string Prefix { get; }

    public string ClaimPrefix { get; }

    public RedisKey Stream { get; }

    public RedisKey Retry { get; }

    public RedisKey Dead { get; }

    public RedisKey Claim(string deliveryId) => ClaimPrefix + deliveryId;
}
