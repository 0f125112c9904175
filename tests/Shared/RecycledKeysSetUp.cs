using Hanko.Webhooks.TestSupport;
using NUnit.Framework;

#pragma warning disable CA1050 // Outside any namespace on purpose: NUnit runs such a set-up fixture once for the whole assembly.

/// <summary>
/// Every FakeHanko of the test assembly this file is linked into reuses the key material of disposed ones (see
/// <see cref="RecycledFakeHankoKeys"/>). One file, linked into each test project (its .csproj).
/// </summary>
[SetUpFixture]
public sealed class RecycledKeysSetUp
{
    [OneTimeSetUp]
    public void InstallRecycledFakeHankoKeys() => RecycledFakeHankoKeys.Install();

    [OneTimeTearDown]
    public void ReportGeneratedKeys() => TestContext.Progress.WriteLine($"RSA keys generated for FakeHankos: {RecycledFakeHankoKeys.Generated}");
}
