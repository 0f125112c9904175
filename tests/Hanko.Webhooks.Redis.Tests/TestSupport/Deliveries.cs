using System.Buffers.Text;
using System.Security.Cryptography;
using Hanko.Webhooks.Testing;

namespace Hanko.Webhooks.Redis.Tests.TestSupport;

internal static class Deliveries
{
    /// <summary>Distinct deliveries (each with its own user id, so its own signature and delivery id).</summary>
    public static List<HankoDelivery> Distinct(FakeHanko hanko, int count) =>
        Enumerable.Range(0, count)
            .Select(_ => hanko.CreateDelivery(HankoEventNames.UserLogin, o => o.EditData = d => d["id"] = Guid.NewGuid().ToString()))
            .ToList();

    /// <summary>The delivery id the verifier gives it: SHA-256 of the decoded signature, lowercase hex.</summary>
    public static string IdOf(HankoDelivery delivery) =>
        Convert.ToHexStringLower(SHA256.HashData(Base64Url.DecodeFromChars(delivery.Token.Split('.')[2])));
}
