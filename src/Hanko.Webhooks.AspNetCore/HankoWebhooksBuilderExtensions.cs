using Hanko.Webhooks;
using Hanko.Webhooks.AspNetCore.Internal;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>ASP.NET Core additions to <see cref="HankoWebhooksBuilder"/>.</summary>
public static class HankoWebhooksBuilderExtensions
{
    /// <summary>The default <c>capacity</c> of <see cref="UseBackgroundProcessing"/>.</summary>
    public const int DefaultQueueCapacity = 1000;

    /// <summary>
    /// Switches the builder's project to acknowledge-then-process: a verified event is put into the project's bounded
    /// in-process queue (its <see cref="IHankoHandOff"/>) and answered <c>202 Accepted</c> at once; a hosted service hands it
    /// back to the project's receiver afterwards, one event at a time. Without this call, handlers run inline and the answer
    /// (<c>200</c> or <c>500</c>) says how they did. A durable store registered for the project
    /// (Hanko.Webhooks.Redis' <c>UseDurableProcessing()</c>) takes precedence.
    /// </summary>
    /// <param name="builder">The builder from <c>services.AddHankoWebhooks()</c>.</param>
    /// <param name="capacity">How many events may wait. When the queue is full, deliveries are answered <c>503</c>.</param>
    /// <returns>The builder.</returns>
    /// <remarks>
    /// <para>
    /// <b>Hanko never retries a delivery</b>, so choose what you can afford to lose. <b>Inline</b> (the default): Hanko waits at most
    /// 10 seconds; a handler slower than that is cancelled with the request, Hanko records a failure (six failures in a row disable a
    /// database hook) and the event is gone unless the handler finished its work anyway. A handler that throws gives <c>500</c>,
    /// which Hanko records as a failure; the event is not sent again. <b>Queued</b>: Hanko always gets a quick <c>202</c>, so slow
    /// handlers never cost a failure, but a handler that throws is only logged (Hanko already counted the delivery as a success),
    /// and events still in the queue are lost if the process crashes, or if the host's shutdown timeout
    /// (<see cref="HostOptions.ShutdownTimeout"/>) passes before the queue is drained; both are logged. A full queue answers
    /// <c>503</c>, so Hanko records a failure instead of the event vanishing silently. Use a durable queue in a handler when no
    /// event may be lost.
    /// </para>
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is less than 1.</exception>
    public static HankoWebhooksBuilder UseBackgroundProcessing(this HankoWebhooksBuilder builder, int capacity = DefaultQueueCapacity)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        var services = builder.Services;
        var project = builder.Project;
        var first = !services.Any(d => d.ServiceType == typeof(HankoEventQueue) && Equals(d.ServiceKey, project));
        services.RemoveAllKeyed<HankoEventQueue>(project); // a second call sets the capacity
        services.Add(ServiceDescriptor.KeyedSingleton(project, (_, _) => new HankoEventQueue(capacity)));

        // Not over a durable store registered before: it takes precedence (and replaces this when registered after).
        services.TryAdd(ServiceDescriptor.KeyedSingleton<IHankoHandOff>(project, (sp, _) => Resolve<HankoEventQueue>(sp, project)));
        if (first)
        {
            services.AddSingleton<IHostedService>(sp => new HankoEventQueueWorker(
                Resolve<HankoEventQueue>(sp, project), Resolve<IHankoWebhookReceiver>(sp, project), project, sp.GetRequiredService<ILoggerFactory>()));
        }

        return builder;
    }

    private static T Resolve<T>(IServiceProvider services, string? project)
        where T : notnull =>
        project is null ? services.GetRequiredService<T>() : services.GetRequiredKeyedService<T>(project);
}
