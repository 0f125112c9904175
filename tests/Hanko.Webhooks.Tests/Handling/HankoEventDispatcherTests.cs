using FluentAssertions;
using Hanko.Webhooks.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace Hanko.Webhooks.Tests.Handling;

public sealed class HankoEventDispatcherTests
{
    private static UserCreateEvent UserCreate() => (UserCreateEvent)HankoEventFactory.Create("user.create", Fixtures.Data("user.create.json"));

    [Test]
    public async Task DispatchAsync_OneHandlerThrows_OthersStillRunAndAllErrorsAreReported()
    {
        var recorder = new Recorder();
        var services = Services(recorder);
        services.AddScoped<IHankoEventHandler<UserCreateEvent>, ThrowingHandler<UserCreateEvent>>();
        services.AddScoped<IHankoEventHandler<UserCreateEvent>, RecordingHandler<UserCreateEvent>>();
        services.AddScoped<IHankoEventHandler<UserEvent>, ThrowingHandler<UserEvent>>();
        services.AddScoped<IHankoEventHandler<HankoEvent>, RecordingHandler<HankoEvent>>();
        await using var provider = services.BuildServiceProvider();

        var result = await provider.GetRequiredService<IHankoEventDispatcher>().DispatchAsync(UserCreate());

        result.Succeeded.Should().BeFalse();
        result.HandlerCount.Should().Be(4);
        result.Failures.Select(f => (f.HandlerType, f.EventType)).Should().Equal(
            (typeof(ThrowingHandler<UserCreateEvent>), typeof(UserCreateEvent)),
            (typeof(ThrowingHandler<UserEvent>), typeof(UserEvent)));
        result.Failures.Should().OnlyContain(f => f.Exception.Message == "boom");
        recorder.HandlerTypesCalled.Should().Equal(typeof(UserCreateEvent), typeof(HankoEvent));
        var act = result.ThrowIfFailed;
        act.Should().Throw<AggregateException>().Which.InnerExceptions.Should().HaveCount(2);
    }

    [Test]
    public async Task DispatchAsync_HandlerWhoseConstructorThrows_IsAFailureAndOtherEventTypesHandlersStillRun()
    {
        var recorder = new Recorder();
        var services = Services(recorder);
        services.AddScoped<IHankoEventHandler<UserCreateEvent>, UnconstructibleHandler>();
        services.AddScoped<IHankoEventHandler<UserEvent>, RecordingHandler<UserEvent>>();
        await using var provider = services.BuildServiceProvider();

        var result = await provider.GetRequiredService<IHankoEventDispatcher>().DispatchAsync(UserCreate());

        result.Succeeded.Should().BeFalse();
        result.Failures.Should().ContainSingle().Which.HandlerType.Should().Be<IHankoEventHandler<UserCreateEvent>>();
        result.Failures[0].Exception.Message.Should().Be("cannot build");
        recorder.HandlerTypesCalled.Should().Equal(typeof(UserEvent));
    }

    [Test]
    public async Task DispatchAsync_ScopedServiceThrowingOnDispose_DoesNotFailAHandledDelivery()
    {
        var recorder = new Recorder();
        var services = Services(recorder);
        services.AddScoped<BadDisposable>();
        services.AddScoped<IHankoEventHandler<UserEvent>, HandlerUsingBadDisposable>();
        await using var provider = services.BuildServiceProvider();

        var result = await provider.GetRequiredService<IHankoEventDispatcher>().DispatchAsync(UserCreate());

        result.Succeeded.Should().BeTrue();
        result.HandlerCount.Should().Be(1);
    }

    [Test]
    public async Task DispatchAsync_NoHandler_SucceedsWithZeroHandlers()
    {
        await using var provider = Services(new Recorder()).BuildServiceProvider();

        var result = await provider.GetRequiredService<IHankoEventDispatcher>().DispatchAsync(new UnknownHankoEvent("billing.paid"));

        result.Succeeded.Should().BeTrue();
        result.HandlerCount.Should().Be(0);
        result.Invoking(r => r.ThrowIfFailed()).Should().NotThrow();
    }

    [Test]
    public async Task DispatchAsync_SameLevel_RunsInRegistrationOrder()
    {
        var order = new List<string>();
        var services = Services(new Recorder());
        services.AddSingleton(order);
        services.AddScoped<IHankoEventHandler<UserEvent>, NamedHandler.First>();
        services.AddScoped<IHankoEventHandler<UserEvent>, NamedHandler.Second>();
        services.AddScoped<IHankoEventHandler<UserEvent>, NamedHandler.Third>();
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<IHankoEventDispatcher>().DispatchAsync(UserCreate());

        order.Should().Equal("First", "Second", "Third");
    }

    [Test]
    public async Task DispatchAsync_EachDelivery_GetsItsOwnScope()
    {
        var services = Services(new Recorder());
        var seen = new List<ScopedThing>();
        services.AddSingleton(seen);
        services.AddScoped<ScopedThing>();
        services.AddScoped<IHankoEventHandler<UserEvent>, ScopeCapturingHandler>();
        services.AddScoped<IHankoEventHandler<UserCreateEvent>, ScopeCapturingHandler>();
        await using var provider = services.BuildServiceProvider();
        var dispatcher = provider.GetRequiredService<IHankoEventDispatcher>();

        await dispatcher.DispatchAsync(UserCreate());
        await dispatcher.DispatchAsync(UserCreate());

        seen.Should().HaveCount(4);
        seen[0].Should().BeSameAs(seen[1], "handlers of one delivery share its scope");
        seen[2].Should().BeSameAs(seen[3]);
        seen[0].Should().NotBeSameAs(seen[2], "each delivery has a new scope");
        seen[0].Disposed.Should().BeTrue("the scope is disposed after the delivery");
    }

    [Test]
    public async Task DispatchAsync_CancelledBeforeAHandler_ReportsTheCancellationAsAFailure()
    {
        var recorder = new Recorder();
        var services = Services(recorder);
        services.AddScoped<IHankoEventHandler<UserCreateEvent>, RecordingHandler<UserCreateEvent>>();
        await using var provider = services.BuildServiceProvider();

        var result = await provider.GetRequiredService<IHankoEventDispatcher>().DispatchAsync(UserCreate(), new CancellationToken(canceled: true));

        result.Succeeded.Should().BeFalse();
        result.Failures.Single().Exception.Should().BeAssignableTo<OperationCanceledException>();
        recorder.Calls.Should().BeEmpty();
    }

    private static ServiceCollection Services(Recorder recorder)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(recorder);
        services.AddHankoWebhooks(o => o.JwksUrl = "https://hanko.test/.well-known/jwks.json");
        return services;
    }

    private sealed class UnconstructibleHandler : IHankoEventHandler<UserCreateEvent>
    {
        public UnconstructibleHandler() => throw new InvalidOperationException("cannot build");

        public Task HandleAsync(UserCreateEvent @event, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class BadDisposable : IDisposable
    {
        public void Dispose() => throw new InvalidOperationException("dispose failed");
    }

    private sealed class HandlerUsingBadDisposable(BadDisposable dependency) : IHankoEventHandler<UserEvent>
    {
        public Task HandleAsync(UserEvent @event, CancellationToken cancellationToken) => Task.FromResult(dependency);
    }

    private sealed class ThrowingHandler<T> : IHankoEventHandler<T>
        where T : HankoEvent
    {
        public Task HandleAsync(T @event, CancellationToken cancellationToken) => throw new InvalidOperationException("boom");
    }

    private abstract class NamedHandler(List<string> order) : IHankoEventHandler<UserEvent>
    {
        public Task HandleAsync(UserEvent @event, CancellationToken cancellationToken)
        {
            order.Add(GetType().Name);
            return Task.CompletedTask;
        }

        public sealed class First(List<string> order) : NamedHandler(order);

        public sealed class Second(List<string> order) : NamedHandler(order);

        public sealed class Third(List<string> order) : NamedHandler(order);
    }

    private sealed class ScopedThing : IDisposable
    {
        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }

    private sealed class ScopeCapturingHandler(ScopedThing thing, List<ScopedThing> seen) : IHankoEventHandler<UserEvent>, IHankoEventHandler<UserCreateEvent>
    {
        public Task HandleAsync(UserEvent @event, CancellationToken cancellationToken)
        {
            seen.Add(thing);
            return Task.CompletedTask;
        }

        public Task HandleAsync(UserCreateEvent @event, CancellationToken cancellationToken) => HandleAsync((UserEvent)@event, cancellationToken);
    }
}
