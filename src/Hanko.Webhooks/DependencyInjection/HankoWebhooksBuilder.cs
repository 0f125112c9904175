using System.Diagnostics.CodeAnalysis;
using Hanko.Webhooks.Handling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Hanko.Webhooks;

/// <summary>
/// Adds handlers to the Hanko webhook services of one project; returned by <c>services.AddHankoWebhooks()</c> (the unnamed
/// registration) and <c>services.AddHankoWebhooks("eu")</c> (a named project).
/// </summary>
public sealed class HankoWebhooksBuilder
{
    internal HankoWebhooksBuilder(IServiceCollection services, string? project = null)
    {
        Services = services;
        Project = project;
    }

    /// <summary>The service collection.</summary>
    public IServiceCollection Services { get; }

    /// <summary>
    /// The project this builder adds to: its name, or <see langword="null"/> for the unnamed registration. A project's own
    /// services are keyed services with this name as the key.
    /// </summary>
    public string? Project { get; }

    /// <summary>
    /// The <c>TEvent</c> of every <see cref="IHankoEventHandler{TEvent}"/> registered for this builder's project so far, each
    /// once: the shared handlers and, on a named project's builder, the project's own.
    /// </summary>
    /// <returns>The event types, in registration order.</returns>
    public IReadOnlyList<Type> GetHandledEventTypes() => [.. new HandlerRegistrations(Services).EventTypesOf(Project).Distinct()];

    /// <summary>
    /// Registers <typeparamref name="THandler"/> for every <see cref="IHankoEventHandler{TEvent}"/> it implements.
    /// On the unnamed builder the handler is shared: every project runs it. On a named project's builder it runs for that
    /// project only (registered as a keyed service, key = <see cref="Project"/>). Registering the same handler twice for
    /// the same project has no further effect.
    /// </summary>
    /// <typeparam name="THandler">A class implementing one or more <see cref="IHankoEventHandler{TEvent}"/>.</typeparam>
    /// <param name="lifetime">The handler's lifetime; each delivery has its own scope.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException"><typeparamref name="THandler"/> implements no <see cref="IHankoEventHandler{TEvent}"/>.</exception>
    public HankoWebhooksBuilder AddHandler<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors | DynamicallyAccessedMemberTypes.Interfaces)] THandler>(
        ServiceLifetime lifetime = ServiceLifetime.Scoped)
        where THandler : class
    {
        var added = 0;
        foreach (var contract in typeof(THandler).GetInterfaces())
        {
            if (contract.IsGenericType && contract.GetGenericTypeDefinition() == typeof(IHankoEventHandler<>))
            {
                Services.TryAddEnumerable(ServiceDescriptor.DescribeKeyed(contract, Project, typeof(THandler), lifetime));
                added++;
            }
        }

        if (added == 0)
        {
            throw new ArgumentException($"{typeof(THandler).Name} does not implement IHankoEventHandler<TEvent> for any Hanko event type.", nameof(THandler));
        }

        return this;
    }
}
