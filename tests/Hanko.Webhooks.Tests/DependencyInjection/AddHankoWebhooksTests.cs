using FluentAssertions;
using Hanko.Webhooks.Tests.TestSupport;
using Hanko.Webhooks.Verification;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace Hanko.Webhooks.Tests.DependencyInjection;

public sealed class AddHankoWebhooksTests
{
    [Test]
    public async Task AddHandler_ClassWithTwoEventTypes_IsRegisteredForEachAndDispatched()
    {
        var recorder = new Recorder();
        var services = new ServiceCollection().AddLogging().AddSingleton(recorder);
        services.AddHankoWebhooks(o => o.JwksUrl = "https://hanko.test/.well-known/jwks.json").AddHandler<TwoEventHandler>();
        await using var provider = services.BuildServiceProvider();

        provider.GetServices<IHankoEventHandler<EmailSendEvent>>().Should().ContainSingle().Which.Should().BeOfType<TwoEventHandler>();
        provider.GetServices<IHankoEventHandler<SessionEvent>>().Should().ContainSingle().Which.Should().BeOfType<TwoEventHandler>();
        var dispatcher = provider.GetRequiredService<IHankoEventDispatcher>();
        await dispatcher.DispatchAsync(HankoEventFactory.Create("email.send", Fixtures.Data("email.send.passcode.json")));
        await dispatcher.DispatchAsync(HankoEventFactory.Create("session.delete.explicit.logout", Fixtures.Data("session.delete.explicit.logout.json")));

        recorder.Calls.Select(c => c.EventName).Should().Equal("email.send", "session.delete.explicit.logout");
    }

    [Test]
    public async Task AddHankoWebhooks_CalledTwiceWithTheSameHandlerTwice_RegistersEverythingOnce()
    {
        var services = new ServiceCollection().AddLogging().AddSingleton(new Recorder());
        services.AddHankoWebhooks(o => o.JwksUrl = "https://hanko.test/.well-known/jwks.json").AddHandler<TwoEventHandler>();
        services.AddHankoWebhooks().AddHandler<TwoEventHandler>();
        await using var provider = services.BuildServiceProvider();

        provider.GetServices<IHankoEventHandler<EmailSendEvent>>().Should().ContainSingle();
        provider.GetServices<IHostedService>().Should().ContainSingle();
        provider.GetServices<IValidateOptions<HankoWebhookOptions>>().Should().ContainSingle();
        services.Count(d => d.ServiceType == typeof(IHankoWebhookVerifier)).Should().Be(1);
        provider.GetRequiredService<IOptions<HankoWebhookOptions>>().Value.JwksUrl.Should().Be("https://hanko.test/.well-known/jwks.json");
    }

    [Test]
    public void AddHandler_TypeWithoutHandlerInterface_ThrowsWithItsName()
    {
        var act = () => new ServiceCollection().AddHankoWebhooks().AddHandler<Recorder>();

        act.Should().Throw<ArgumentException>().WithMessage("*Recorder does not implement IHankoEventHandler<TEvent>*");
    }

    [Test]
    public void AddHankoWebhooks_WithoutArguments_BindsTheHankoWebhooksSection()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Hanko:Webhooks:TenantId"] = "4b1c2d3e-0000-4000-8000-123456789abc",
            ["Hanko:Webhooks:Audience"] = "example.com",
            ["Hanko:Webhooks:ClockSkew"] = "00:00:10",
            ["Hanko:Webhooks:AllowedAlgorithms:0"] = "RS256",
            ["Hanko:Webhooks:AllowedAlgorithms:1"] = "PS256",
            ["Hanko:Webhooks:FetchKeysOnStart"] = "false",
        }).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration);
        services.AddHankoWebhooks();
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<HankoWebhookOptions>>().Value;

        options.TenantId.Should().Be("4b1c2d3e-0000-4000-8000-123456789abc");
        options.Audience.Should().Be("example.com");
        options.ClockSkew.Should().Be(TimeSpan.FromSeconds(10));
        options.AllowedAlgorithms.Should().BeNull("1.0 fixed the algorithm (RS256): the key is no longer read");
        options.IgnoredKeys.Should().Equal("Hanko:Webhooks:AllowedAlgorithms");
        options.FetchKeysOnStart.Should().BeFalse();
        var verifier = (WebhookVerifier)provider.GetRequiredService<IHankoWebhookVerifier>();
        verifier.Keys.JwksUri.Should().Be(new Uri("https://4b1c2d3e-0000-4000-8000-123456789abc.hanko.io/.well-known/jwks.json"));
    }

    [Test]
    public void AddHankoWebhooks_OptionsInCode_WinOverConfiguration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Hanko:Webhooks:TenantId"] = "tenant-from-config",
            ["Hanko:Webhooks:Audience"] = "from-config",
            ["Hanko:Webhooks:ClockSkew"] = "00:00:10",
        }).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration);
        services.AddHankoWebhooks(o => o.Audience = "from-code");
        services.AddHankoWebhooks(o => o.ClockSkew = TimeSpan.FromSeconds(5));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<HankoWebhookOptions>>().Value;

        options.Audience.Should().Be("from-code");
        options.ClockSkew.Should().Be(TimeSpan.FromSeconds(5), "a later call's code runs after the binding too");
        options.TenantId.Should().Be("tenant-from-config");
    }

    [Test]
    public async Task SettingsFixedIn10_StillConfigured_AreNamedByTheirPathInAWarningAtStartAndChangeNothing()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Hanko:Webhooks:JwksUrl"] = "https://hanko.test/.well-known/jwks.json",
            ["Hanko:Webhooks:Audience"] = "example.com",
            ["Hanko:Webhooks:FetchKeysOnStart"] = "false",
            ["Hanko:Webhooks:AllowedAlgorithms:0"] = "PS256",
            ["Hanko:Webhooks:JwksFetchTimeout"] = "00:00:09",
            ["Hanko:Webhooks:Projects:eu:ReplayCacheTimeout"] = "00:00:05",
        }).Build();
        var services = new ServiceCollection().AddLogging(b => b.AddFakeLogging()).AddSingleton<IConfiguration>(configuration);
        services.AddHankoWebhooks();
        services.AddHankoWebhooks("eu");
        await using var provider = services.BuildServiceProvider();

        foreach (var hosted in provider.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        var warnings = provider.GetFakeLogCollector().GetSnapshot().Where(r => r.Id.Id == 15).ToList();
        warnings.Should().OnlyContain(r => r.Level == LogLevel.Warning && r.Id.Name == "SettingIgnored");
        warnings.Select(r => r.Message).Should().BeEquivalentTo(
        [
            "Hanko:Webhooks:AllowedAlgorithms is set but no longer read: 1.0 fixed it (RS256, what Hanko signs with). Remove it from the configuration.",
            "Hanko:Webhooks:JwksFetchTimeout is set but no longer read: 1.0 fixed it (5 seconds; configure the HTTP client by its name for anything else). Remove it from the configuration.",
            "Hanko:Webhooks:AllowedAlgorithms is set but no longer read: 1.0 fixed it (RS256, what Hanko signs with). Remove it from the configuration.",
            "Hanko:Webhooks:JwksFetchTimeout is set but no longer read: 1.0 fixed it (5 seconds; configure the HTTP client by its name for anything else). Remove it from the configuration.",
            "Hanko:Webhooks:Projects:eu:ReplayCacheTimeout is set but no longer read: 1.0 fixed it (2 seconds). Remove it from the configuration.",
        ]);
        var monitor = provider.GetRequiredService<IOptionsMonitor<HankoWebhookOptions>>();
        (monitor.CurrentValue.AllowedAlgorithms, monitor.CurrentValue.JwksFetchTimeout).Should().Be((null, TimeSpan.FromSeconds(5)));
        monitor.Get("eu").ReplayCacheTimeout.Should().Be(TimeSpan.FromSeconds(2));
    }

    [Test]
    public void Options_NothingConfigured_FailValidationSayingWhatToSet()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddHankoWebhooks();
        using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<IOptions<HankoWebhookOptions>>().Value;

        act.Should().Throw<OptionsValidationException>().WithMessage("*Set Hanko:Webhooks:TenantId*Hanko:Webhooks:ApiUrl*Hanko:Webhooks:JwksUrl*");
    }

    private sealed class TwoEventHandler(Recorder recorder) : IHankoEventHandler<EmailSendEvent>, IHankoEventHandler<SessionEvent>
    {
        public Task HandleAsync(EmailSendEvent @event, CancellationToken cancellationToken)
        {
            recorder.Calls.Enqueue((typeof(EmailSendEvent), @event.Name, @event));
            return Task.CompletedTask;
        }

        public Task HandleAsync(SessionEvent @event, CancellationToken cancellationToken)
        {
            recorder.Calls.Enqueue((typeof(SessionEvent), @event.Name, @event));
            return Task.CompletedTask;
        }
    }
}
