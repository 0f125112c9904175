using Microsoft.Extensions.DependencyInjection;

namespace Hanko.Webhooks.Handling;

/// <summary>
/// The event types each project's handlers take, read from the service collection when asked (so that handlers added after
/// <c>AddHankoWebhooks()</c> count): the shared ones (registered without a key) and the project's own. Handlers registered
/// directly (<c>services.AddScoped&lt;IHankoEventHandler&lt;UserEvent&gt;, MyHandler&gt;()</c>) count too.
/// </summary>
internal sealed class HandlerRegistrations(IServiceCollection services)
{
    public IEnumerable<Type> EventTypesOf(string? project) =>
        services
            .Where(d => d.ServiceType.IsGenericType && d.ServiceType.GetGenericTypeDefinition() == typeof(IHankoEventHandler<>))
            .Where(d => !d.IsKeyedService || (project is not null && Equals(d.ServiceKey, project)))
            .Select(d => d.ServiceType.GetGenericArguments()[0]);
}
