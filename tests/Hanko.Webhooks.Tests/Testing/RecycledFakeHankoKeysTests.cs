using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using FluentAssertions;
using Hanko.Webhooks.Testing;
using Hanko.Webhooks.TestSupport;
using Microsoft.IdentityModel.Tokens;
using NUnit.Framework;

namespace Hanko.Webhooks.Tests.Testing;

/// <summary>The test assemblies' FakeHankos reuse the key material of disposed ones, never of one still alive.</summary>
[NonParallelizable] // counts the keys generated in this process
public sealed class RecycledFakeHankoKeysTests
{
    private static string Modulus(FakeHankoKey key) => JsonNode.Parse(key.GetPublicJwkJson())!["n"]!.GetValue<string>();

    [Test]
    public void KeysHeldAtTheSameTime_AreAlwaysDifferentKeys_ADisposedFakesKeyIsHandedOutAgain()
    {
        new FakeHanko().Dispose(); // material to hand out again, whichever tests ran before
        var fakes = Enumerable.Range(0, 4).Select(_ => new FakeHanko()).ToList();
        try
        {
            fakes[0].RotateKey();
            fakes[1].RotateKey();
            using var signer = new RawSigner();
            var held = fakes.SelectMany(f => f.Keys).Select(Modulus).Append(Convert.ToBase64String(signer.Rsa.ExportParameters(false).Modulus!)).ToList();

            held.Should().HaveCount(7);
            held.Select(m => m.TrimEnd('=')).Should().OnlyHaveUniqueItems("no key material is held by two keys at once");

            var released = Modulus(fakes[3].SigningKey);
            fakes[3].Dispose();
            var generated = RecycledFakeHankoKeys.Generated;
            using var next = new FakeHanko();

            Modulus(next.SigningKey).Should().Be(released, "the material of the disposed fake is handed out again");
            RecycledFakeHankoKeys.Generated.Should().Be(generated, "no key was generated for it");
            fakes.Take(3).SelectMany(f => f.Keys).Select(Modulus).Should().NotContain(released);
        }
        finally
        {
            fakes.ForEach(f => f.Dispose());
        }
    }

    [Test]
    public void UnknownKeyDelivery_IsSignedByAKeyNoLiveFakeHolds()
    {
        using var hanko = new FakeHanko();
        using var other = new FakeHanko();
        hanko.RotateKey();
        var live = new[] { hanko, other }.SelectMany(f => f.Keys).ToList();

        SignedBy(hanko.CreateDelivery(HankoEventNames.UserCreate), hanko.SigningKey).Should().BeTrue("the check itself recognises the signing key");
        for (var i = 0; i < 3; i++)
        {
            var forged = hanko.CreateUnknownKeyDelivery();
            live.Should().NotContain(k => SignedBy(forged, k), "the stranger key of an unknown-kid delivery is never a live fake's key");
        }
    }

    private static bool SignedBy(HankoDelivery delivery, FakeHankoKey key)
    {
        var parts = delivery.Token.Split('.');
        using var rsa = RSA.Create(key.GetPublicSecurityKey().Parameters);
        return rsa.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64UrlEncoder.DecodeBytes(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }
}
