namespace Hanko.Webhooks.Diagnostics;

/// <summary>
/// The names Hanko.Webhooks publishes under: span names, tag names and tag values. Tags hold event names, outcomes,
/// failure names and handler type names only: never a token, a payload, an OTP code or metadata.
/// </summary>
/// <remarks>
/// The names an add-on package or a user needs are public on <see cref="HankoWebhooksDiagnostics"/>; these repeat them
/// for the instruments. Diagnostics maps no domain result: callers pass these names (the outcome of a receive result is
/// named in Receiving, a failure by <c>HankoWebhookFailureNames</c> beside its enum).
/// </remarks>
internal static class HankoTelemetryNames
{
    public const string DeliverySpan = HankoWebhooksDiagnostics.DeliverySpan;
    public const string VerifySpan = "hanko.webhooks.verify";
    public const string JwksFetchSpan = "hanko.webhooks.jwks.fetch";
    public const string HandlerSpan = HankoWebhooksDiagnostics.HandlerSpan;
    public const string HandedOffSpan = HankoWebhooksDiagnostics.HandedOffSpan;

    public const string EventTag = HankoWebhooksDiagnostics.EventTag;

    /// <summary>The project name of a named registration (<c>AddHankoWebhooks("eu")</c>); absent for the unnamed one.</summary>
    public const string ProjectTag = HankoWebhooksDiagnostics.ProjectTag;
    public const string OutcomeTag = HankoWebhooksDiagnostics.OutcomeTag;
    public const string FailureTag = HankoWebhooksDiagnostics.FailureTag;
    public const string DeliveryIdTag = HankoWebhooksDiagnostics.DeliveryIdTag;
    public const string AttemptTag = HankoWebhooksDiagnostics.AttemptTag;
    public const string HandlerTag = HankoWebhooksDiagnostics.HandlerTag;
    public const string JwksResultTag = "hanko.webhook.jwks.result";
    public const string JwksKeyCountTag = "hanko.webhook.jwks.key_count";
    public const string ErrorTypeTag = "error.type";
    public const string HttpStatusTag = "http.response.status_code";

    /// <summary>Values of <see cref="OutcomeTag"/>.</summary>
    public static class Outcomes
    {
        public const string Handled = "handled";
        public const string HandlerFailed = "handler_failed";
        public const string Refused = "refused";
        public const string Filtered = "filtered";
        public const string Duplicate = "duplicate";
        public const string Accepted = "accepted";
        public const string Unavailable = "unavailable";
        public const string Verified = "verified";
        public const string Success = "success";
        public const string Failure = "failure";
    }

    /// <summary>Values of <see cref="JwksResultTag"/>.</summary>
    public static class JwksResults
    {
        public const string Success = "success";
        public const string HttpError = "http_error";
        public const string NetworkError = "network_error";
        public const string Timeout = "timeout";
        public const string InvalidJwks = "invalid_jwks";
        public const string NoUsableKey = "no_usable_key";
        public const string TooLarge = "too_large";
        public const string Redirect = "redirect";
        public const string Error = "error";
    }

    public static string HandlerName(Type handlerType) => handlerType.FullName ?? handlerType.Name;
}
