using System.Diagnostics;
using Hanko.Webhooks.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Hanko.Webhooks.AspNetCore.Internal;

/// <summary>
/// The delivery span of the endpoint: one per request, under ASP.NET Core's request span, with the verifier's span and the
/// handler spans under it. Its outcome follows from the status code unless the endpoint tagged it already (filtered).
/// </summary>
internal static class EndpointTelemetry
{
    /// <summary>The <c>hanko.webhook.failure</c> of a request refused with 415.</summary>
    public const string UnsupportedMediaType = "UnsupportedMediaType";

    public static Task HandleAsync(HankoWebhookEndpoint endpoint, HttpContext context)
    {
        var delivery = HankoTelemetry.StartDelivery();
        return delivery is null ? endpoint.HandleAsync(context) : HandleTracedAsync(endpoint, context, delivery);
    }

    private static async Task HandleTracedAsync(HankoWebhookEndpoint endpoint, HttpContext context, Activity delivery)
    {
        try
        {
            await endpoint.HandleAsync(context).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            delivery.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            delivery.SetTag(HankoTelemetry.ErrorTypeTag, ex.GetType().FullName);
            throw;
        }
        finally
        {
            var status = context.Response.StatusCode;
            delivery.SetTag("http.response.status_code", status);
            HankoTelemetry.EndDelivery(delivery, OutcomeFor(status, delivery.GetTagItem(HankoTelemetry.FailureTag) is not null));
        }
    }

    private static string OutcomeFor(int status, bool refused) => status switch
    {
        _ when refused => HankoTelemetry.Outcomes.Refused,
        StatusCodes.Status200OK => HankoTelemetry.Outcomes.Handled,
        StatusCodes.Status202Accepted => HankoTelemetry.Outcomes.Queued,
        StatusCodes.Status500InternalServerError => HankoTelemetry.Outcomes.HandlerFailed,
        StatusCodes.Status503ServiceUnavailable => HankoTelemetry.Outcomes.Unavailable,
        _ => HankoTelemetry.Outcomes.Refused,
    };
}
