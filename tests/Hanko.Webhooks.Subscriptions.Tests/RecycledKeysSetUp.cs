using Hanko.Webhooks.TestSupport;
using NUnit.Framework;

namespace Hanko.Webhooks.Subscriptions.Tests;

/// <summary>Every FakeHanko of this assembly reuses the key material of disposed ones (see <see cref="RecycledFakeHankoKeys"/>).</summary>
[SetUpFixture]
public sealed class RecycledKeysSetUp
{
    [OneTimeSetUp]
    public void InstallRecycledFakeHankoKeys() => RecycledFakeHankoKeys.Install();

    [OneTimeTearDown]
    public void ReportGeneratedKeys() => TestContext.Progress.WriteLine($"RSA keys generated for FakeHankos: {RecycledFakeHankoKeys.Generated}");
}
