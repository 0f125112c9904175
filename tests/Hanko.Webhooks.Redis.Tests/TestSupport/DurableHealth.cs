using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Hanko.Webhooks.Redis.Tests.TestSupport;

/// <summary>The durable health entry, and a Redis that refuses the receipts' reconnect (the entry's Unhealthy case).</summary>
internal static class DurableHealth
{
    /// <summary>The client name of the receipts' own connections (<c>ReceiptConnection</c>).</summary>
    public const string ReceiptsClient = "hanko-webhooks-receipts";

    /// <summary>Runs the health checks and returns the unnamed project's durable entry.</summary>
    public static async Task<HealthReportEntry> EntryAsync(HealthCheckService health) =>
        (await health.CheckHealthAsync()).Entries[HankoWebhooksRedisBuilderExtensions.DefaultHealthCheckName];

    /// <summary>
    /// Sets <c>maxclients</c> on <paramref name="server"/> (an admin connection) to the clients it has without the receipts'
    /// ones, then kills those: their reconnect is refused until <see cref="AcceptConnectionsAsync"/>; every other client stays.
    /// </summary>
    public static async Task RefuseTheReceiptsReconnectAsync(IServer server)
    {
        var clients = await server.ClientListAsync();
        var receipts = clients.Where(c => c.Name == ReceiptsClient).ToList();
        if (receipts.Count == 0)
        {
            throw new InvalidOperationException("The receipts have no connection of their own to this server.");
        }

        await server.ExecuteAsync("CONFIG", "SET", "maxclients", (clients.Length - receipts.Count).ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var client in receipts)
        {
            await server.ClientKillAsync(client.Id);
        }
    }

    /// <summary>Undoes <see cref="RefuseTheReceiptsReconnectAsync"/>.</summary>
    public static Task AcceptConnectionsAsync(IServer server) => server.ExecuteAsync("CONFIG", "SET", "maxclients", "10000");
}
