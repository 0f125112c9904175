using System.Text.Json.Nodes;
using FluentAssertions;
using Hanko.Webhooks.Testing;
using Hanko.Webhooks.TestSupport;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using NUnit.Framework;

namespace Hanko.Webhooks.Tests.Verification;

/// <summary>
/// Pins the behaviour of <see cref="JsonWebTokenHandler.ValidateTokenAsync(string, TokenValidationParameters)"/> that the
/// README's "Design decisions" rest on: the core reads the compact JWS and the claims itself because this library refuses
/// genuine deliveries with deep user metadata and accepts what RFC 8259 forbids. A future IdentityModel that changes any
/// of this makes a test here fail, and the decision should then be revisited.
/// </summary>
public sealed class JwtLibraryDecisionTests
{
    private const string Revisit = "revisit the design decision in docs/design.md (the SDK's own JWS and claims reader) if this fails";

    private FakeHanko _hanko = null!;

    [SetUp]
    public void SetUp() => _hanko = new FakeHanko();

    [TearDown]
    public void TearDown() => _hanko.Dispose();

    private TokenValidationParameters Parameters => new()
    {
        IssuerSigningKey = _hanko.SigningKey.GetPublicSecurityKey(),
        ValidAudience = "localhost",
        ValidateIssuer = false, // Hanko webhook tokens have no iss
        ValidAlgorithms = ["RS256"],
    };

    private static string DeepMetadata(int depth) => "{\"a\":" + new string('[', depth) + new string(']', depth) + "}";

    [Test]
    public async Task ControlCase_AGenuineUserLogin_IsValid()
    {
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(_hanko.CreateDelivery("user.login").Token, Parameters);

        result.IsValid.Should().BeTrue(result.Exception?.Message);
    }

    [TestCase(61)]
    [TestCase(1400)]
    public async Task UserLoginWithUnsafeMetadataNested61LevelsOrMore_IsRefusedWithIdx14101(int depth)
    {
        var metadata = JsonNode.Parse(DeepMetadata(depth), documentOptions: new System.Text.Json.JsonDocumentOptions { MaxDepth = 2_000 });
        var token = _hanko.CreateDelivery("user.login", o => o.EditData = d => d["metadata"]!["unsafe_metadata"] = metadata).Token;

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, Parameters);

        result.IsValid.Should().BeFalse(Revisit + ": JsonWebTokenHandler now accepts deep metadata, which Hanko.Webhooks accepts too");
        result.Exception.Message.Should().Contain("IDX14101", Revisit);
    }

    [Test]
    public async Task UserLoginWithUnsafeMetadataNested60Levels_IsStillAccepted()
    {
        // The boundary: the reader's depth is fixed at 64 (payload, data, metadata, unsafe_metadata and 60 more).
        var metadata = JsonNode.Parse(DeepMetadata(60));
        var token = _hanko.CreateDelivery("user.login", o => o.EditData = d => d["metadata"]!["unsafe_metadata"] = metadata).Token;

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, Parameters);

        result.IsValid.Should().BeTrue(Revisit + $": {result.Exception?.Message}");
    }

    [Test]
    public async Task PayloadFollowedByTrailingBytes_IsAccepted()
    {
        using var signer = new RawSigner();
        var token = signer.Sign(RawSigner.Claims(DateTimeOffset.UtcNow, "{}") + " trailing");
        var parameters = Parameters;
        parameters.IssuerSigningKey = new RsaSecurityKey(signer.Rsa.ExportParameters(false)) { KeyId = signer.KeyId };

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, parameters);

        result.IsValid.Should().BeTrue(Revisit + ": JsonWebTokenHandler now refuses trailing bytes, as Hanko.Webhooks does (RFC 8259: one value)");
    }

    [Test]
    public async Task PayloadWithSubTwice_IsAcceptedWithTheLastValue()
    {
        using var signer = new RawSigner();
        var payload = RawSigner.Claims(DateTimeOffset.UtcNow, "{}")[..^1] + ",\"sub\":\"9a38d246-c5e4-48e6-9714-e7ffbb48e6e1\"}";
        var token = signer.Sign(payload);
        var parameters = Parameters;
        parameters.IssuerSigningKey = new RsaSecurityKey(signer.Rsa.ExportParameters(false)) { KeyId = signer.KeyId };

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, parameters);

        result.IsValid.Should().BeTrue(Revisit + ": JsonWebTokenHandler now refuses a repeated claim, as Hanko.Webhooks does");
        ((JsonWebToken)result.SecurityToken).Subject.Should().Be("9a38d246-c5e4-48e6-9714-e7ffbb48e6e1", Revisit);
    }
}
