using FluentAssertions;
using NUnit.Framework;

namespace Hanko.Webhooks.Tests.Receiving;

public sealed class ReplayOptionsValidationTests
{
    private static IReadOnlyList<string> Errors(Action<HankoWebhookOptions> configure)
    {
        var options = new HankoWebhookOptions { TenantId = "abc" };
        configure(options);
        HankoWebhookOptionsPostConfigure.Apply(options);
        return HankoWebhookOptionsValidator.Validate(options);
    }

    [Test]
    public void Defaults_ProtectionOn_FailOpen_TwoSecondTimeout()
    {
        var options = new HankoWebhookOptions();

        options.ReplayProtection.Should().BeTrue();
        options.ReplayCacheFailureMode.Should().Be(HankoReplayCacheFailureMode.FailOpen);
        options.ReplayCacheTimeout.Should().Be(TimeSpan.FromSeconds(2));
        Errors(_ => { }).Should().BeEmpty();
    }

    [Test]
    public void Validate_UndefinedFailureMode_IsRefusedAndNamesTheChoices() =>
        Errors(o => o.ReplayCacheFailureMode = (HankoReplayCacheFailureMode)7)
            .Should().ContainSingle().Which.Should().Contain("ReplayCacheFailureMode").And.Contain("FailOpen").And.Contain("FailClosed");
}
