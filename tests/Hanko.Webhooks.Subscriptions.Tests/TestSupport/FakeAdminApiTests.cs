using Hanko.Webhooks.Testing;
using NUnit.Framework;

namespace Hanko.Webhooks.Subscriptions.Tests.TestSupport;

/// <summary>A fresh <see cref="FakeHanko"/> and <see cref="FakeHankoAdminApi"/> for each test.</summary>
public abstract class FakeAdminApiTests
{
    internal FakeHanko Hanko { get; private set; } = null!;

    internal FakeHankoAdminApi Admin { get; private set; } = null!;

    [SetUp]
    public async Task StartFake()
    {
        Hanko = new FakeHanko();
        Admin = await FakeHankoAdminApi.StartAsync(Hanko);
    }

    [TearDown]
    public async Task StopFake()
    {
        await Admin.DisposeAsync();
        Hanko.Dispose();
    }
}
