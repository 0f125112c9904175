using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Hanko.Webhooks;

/// <summary>Adds handlers to the Hanko webhook services; returned by <c>services.AddHankoWebhooks()</c>.</summary>
public sealed class HankoWebhooksBuilder
{
    internal HankoWebhooksBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection.</summary>
    public IServiceCollection Services { get; }

    /// <summary>
    /// Registers <typeparamref name="THandler"/> for every <see cref="IHankoEventHandler{TEvent}"/> it implements.
    /// Registering the same handler twice has no further effect.
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
                Services.TryAddEnumerable(ServiceDescriptor.Describe(contract, typeof(THandler), lifetime));
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
