using FluentAssertions;
using Hanko.Webhooks.Verification;
using NUnit.Framework;

namespace Hanko.Webhooks.Tests.Verification;

public sealed class HankoWebhookFailureNamesTests
{
    [Test]
    public void Of_EveryFailure_IsItsMemberName_WithoutAHandCopiedList()
    {
        foreach (var failure in Enum.GetValues<HankoWebhookFailure>())
        {
            HankoWebhookFailureNames.Of(failure).Should().Be(failure.ToString());
        }
    }

    [Test]
    public void Of_AValueThatIsNoMember_IsOther() =>
        HankoWebhookFailureNames.Of((HankoWebhookFailure)999).Should().Be("Other");
}
