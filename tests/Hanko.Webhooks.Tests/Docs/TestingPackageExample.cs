// The region below is the README example as a user writes it: its usings come after this file's namespace, and it names
// Hanko.Webhooks although this namespace is inside it.
#pragma warning disable IDE0005, IDE0065
namespace Hanko.Webhooks.Tests.Docs;

// The worked example of docs/testing.md; TestingPackageExampleReadmeTests keeps the two equal.
#region readme-testing-example
using Hanko.Webhooks;
using Hanko.Webhooks.Testing;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

public sealed class Outbox
{
    public List<string> Sent { get; } = [];
}

public sealed class WelcomeNewUsers(Outbox outbox) : IHankoEventHandler<UserCreateEvent>
{
    public Task HandleAsync(UserCreateEvent @event, CancellationToken cancellationToken)
    {
        outbox.Sent.Add(@event.User.PrimaryEmail!.Address);
        return Task.CompletedTask;
    }
}

public sealed class WelcomeNewUsersTests
{
    private FakeHanko _hanko = null!;
    private ServiceProvider _services = null!;

    [SetUp]
    public void SetUp()
    {
        _hanko = new FakeHanko(); // an RSA key, its JWKS, and signed deliveries for every Hanko event
        var services = new ServiceCollection().AddLogging().AddSingleton<Outbox>();
        services.AddHankoWebhooks(o =>
        {
            o.JwksUrl = "https://hanko.test/.well-known/jwks.json";
            o.Audience = "localhost"; // the fake's default audience
        }).AddHandler<WelcomeNewUsers>();
        services.AddHttpClient(HankoWebhookOptions.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(_hanko.CreateJwksHandler); // the JWKS comes from the fake
        _services = services.BuildServiceProvider();
    }

    [TearDown]
    public void TearDown()
    {
        _services.Dispose();
        _hanko.Dispose();
    }

    [Test]
    public async Task NewUser_IsWelcomedAtTheirPrimaryAddress()
    {
        var delivery = _hanko.CreateDelivery("user.create",
            o => o.EditData = user => user["emails"]![0]!["address"] = "new.user@example.com");

        var result = await _services.GetRequiredService<IHankoWebhookVerifier>().VerifyAsync(delivery.BodyBytes);
        await _services.GetRequiredService<IHankoEventDispatcher>().DispatchAsync(result.Event!);

        Assert.That(_services.GetRequiredService<Outbox>().Sent, Is.EqualTo(new[] { "new.user@example.com" }));
    }

    [Test]
    public async Task StolenSessionToken_IsRefusedAndWelcomesNobody()
    {
        var result = await _services.GetRequiredService<IHankoWebhookVerifier>()
            .VerifyAsync(_hanko.CreateSessionTokenDelivery().BodyBytes);

        Assert.That(result.Failure, Is.EqualTo(HankoWebhookFailure.NotWebhookToken));
        Assert.That(_services.GetRequiredService<Outbox>().Sent, Is.Empty);
    }
}
#endregion
