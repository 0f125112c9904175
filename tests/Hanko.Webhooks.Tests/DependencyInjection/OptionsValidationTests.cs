using FluentAssertions;
using Hanko.Webhooks.Verification;
using NUnit.Framework;

namespace Hanko.Webhooks.Tests.DependencyInjection;

public sealed class OptionsValidationTests
{
    private static IReadOnlyList<string> Errors(Action<HankoWebhookOptions> configure)
    {
        var options = new HankoWebhookOptions();
        configure(options);
        HankoWebhookOptionsPostConfigure.Apply(options);
        return HankoWebhookOptionsValidator.Validate(options);
    }

    private static Uri? JwksUri(Action<HankoWebhookOptions> configure)
    {
        var options = new HankoWebhookOptions();
        configure(options);
        HankoWebhookOptionsPostConfigure.Apply(options);
        return options.JwksSource!.Uri;
    }

    [Test]
    public void Validate_TwoSources_SaysToSetOnlyOne() =>
        Errors(o => { o.TenantId = "abc"; o.JwksUrl = "https://x.example/jwks"; })
            .Should().ContainSingle().Which.Should().Be("Set only one of Hanko:Webhooks:TenantId, ApiUrl and JwksUrl; found TenantId and JwksUrl.");

    [Test]
    public void Validate_PlainHttpToARemoteHost_IsRefusedAndNamesTheSwitch() =>
        Errors(o => o.JwksUrl = "http://hanko.example.com/.well-known/jwks.json")
            .Should().ContainSingle().Which.Should().Contain("plain http").And.Contain("Hanko:Webhooks:RequireHttpsJwks");

    [TestCase("http://localhost:8000/.well-known/jwks.json")]
    [TestCase("http://127.0.0.1:8000/.well-known/jwks.json")]
    [TestCase("http://[::1]:8000/.well-known/jwks.json")]
    public void Validate_PlainHttpToLoopback_IsAllowed(string url) =>
        Errors(o => o.JwksUrl = url).Should().BeEmpty();

    [Test]
    public void Validate_PlainHttpWithHttpsRequirementOff_IsAllowed() =>
        Errors(o => { o.JwksUrl = "http://hanko.internal/.well-known/jwks.json"; o.RequireHttpsJwks = false; }).Should().BeEmpty();

    [Test]
    public void Validate_NegativeClockSkewAndTinyBodyLimit_AreBothReported() =>
        Errors(o => { o.TenantId = "abc"; o.ClockSkew = TimeSpan.FromSeconds(-1); o.MaxBodyBytes = 10; })
            .Should().HaveCount(2).And.Contain(e => e.Contains("ClockSkew")).And.Contain(e => e.Contains("MaxBodyBytes"));

    [TestCase(int.MaxValue)]
    [TestCase(64 * 1024 * 1024 + 1)]
    public void Validate_HugeBodyLimit_IsRefused(int limit) =>
        Errors(o => { o.TenantId = "abc"; o.MaxBodyBytes = limit; }).Should().ContainSingle().Which.Should().Contain("MaxBodyBytes");

    [Test]
    public void Validate_TenantIdWithASlash_IsRefused() =>
        Errors(o => o.TenantId = "evil.com/x").Should().ContainSingle().Which.Should().Contain("not a Hanko Cloud tenant id");

    [Test]
    public void Validate_BlankAudience_IsRefused() =>
        Errors(o => { o.TenantId = "abc"; o.Audience = " "; }).Should().ContainSingle().Which.Should().Contain("Audience is blank");

    [Test]
    public void JwksUri_FromTenantApiUrlAndJwksUrl_FollowsHankoLayout()
    {
        JwksUri(o => o.TenantId = "AbC-123").Should().Be(new Uri("https://abc-123.hanko.io/.well-known/jwks.json"));
        JwksUri(o => o.ApiUrl = "https://auth.example.com").Should().Be(new Uri("https://auth.example.com/.well-known/jwks.json"));
        JwksUri(o => o.ApiUrl = "https://auth.example.com/8f1c2c1e-0a8e-4d1f-9b0e-1f2f3a4b5c6d/").Should()
            .Be(new Uri("https://auth.example.com/8f1c2c1e-0a8e-4d1f-9b0e-1f2f3a4b5c6d/.well-known/jwks.json"));
        JwksUri(o => o.JwksUrl = "https://keys.example.com/custom.json?v=1").Should().Be(new Uri("https://keys.example.com/custom.json?v=1"));
    }

    [Test]
    public void Verifier_InvalidOptions_ThrowsArgumentExceptionWithTheMessages()
    {
        var act = () => new WebhookVerifier(new HankoWebhookOptions(), new HttpClient());

        act.Should().Throw<ArgumentException>().WithMessage("No Hanko key source is configured*");
    }
}
