namespace Hanko.Webhooks.Diagnostics;

/// <summary>
/// The names Hanko.Webhooks publishes under: span names, tag names and tag values. Tags hold event names, outcomes,
/// failure names and handler type names only: never a token, a payload, an OTP code or metadata.
/// </summary>
internal static class HankoTelemetryNames
{
    public const string DeliverySpan = "hanko.webhooks.delivery";
    public const string VerifySpan = "hanko.webhooks.verify";
    public const string JwksFetchSpan = "hanko.webhooks.jwks.fetch";
    public const string HandlerSpan = "hanko.webhooks.handler";
    public const string HandedOffSpan = "hanko.webhooks.handed_off";

    public const string EventTag = "hanko.webhook.event";

    /// <summary>The project name of a named registration (<c>AddHankoWebhooks("eu")</c>); absent for the unnamed one.</summary>
    public const string ProjectTag = "hanko.webhook.project";
    public const string OutcomeTag = "hanko.webhook.outcome";
    public const string FailureTag = "hanko.webhook.failure";
    public const string DeliveryIdTag = "hanko.webhook.delivery_id";
    public const string AttemptTag = "hanko.webhook.attempt";
    public const string HandlerTag = "hanko.webhook.handler";
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

    /// <summary>The <see cref="OutcomeTag"/> of a delivery's result.</summary>
    public static string OutcomeOf(HankoReceiveResult result) => result.Outcome switch
    {
        HankoReceiveOutcome.Refused => Outcomes.Refused,
        HankoReceiveOutcome.Ignored => Outcomes.Filtered,
        HankoReceiveOutcome.Duplicate => Outcomes.Duplicate,
        HankoReceiveOutcome.Dispatched => result.Dispatch!.Succeeded ? Outcomes.Handled : Outcomes.HandlerFailed,
        HankoReceiveOutcome.Accepted => Outcomes.Accepted,
        _ => Outcomes.Unavailable, // HandOffDeclined, ReplayCheckUnavailable
    };

    public static string HandlerName(Type handlerType) => handlerType.FullName ?? handlerType.Name;

    /// <summary>The failure's name without allocating (an enum's <c>ToString</c> does).</summary>
    public static string FailureName(HankoWebhookFailure failure) => failure switch
    {
        HankoWebhookFailure.None => nameof(HankoWebhookFailure.None),
        HankoWebhookFailure.MalformedBody => nameof(HankoWebhookFailure.MalformedBody),
        HankoWebhookFailure.BodyTooLarge => nameof(HankoWebhookFailure.BodyTooLarge),
        HankoWebhookFailure.MalformedToken => nameof(HankoWebhookFailure.MalformedToken),
        HankoWebhookFailure.UnsupportedAlgorithm => nameof(HankoWebhookFailure.UnsupportedAlgorithm),
        HankoWebhookFailure.UnknownKey => nameof(HankoWebhookFailure.UnknownKey),
        HankoWebhookFailure.BadSignature => nameof(HankoWebhookFailure.BadSignature),
        HankoWebhookFailure.Expired => nameof(HankoWebhookFailure.Expired),
        HankoWebhookFailure.NotYetValid => nameof(HankoWebhookFailure.NotYetValid),
        HankoWebhookFailure.WrongAudience => nameof(HankoWebhookFailure.WrongAudience),
        HankoWebhookFailure.NotWebhookToken => nameof(HankoWebhookFailure.NotWebhookToken),
        HankoWebhookFailure.EventMismatch => nameof(HankoWebhookFailure.EventMismatch),
        HankoWebhookFailure.InvalidPayload => nameof(HankoWebhookFailure.InvalidPayload),
        HankoWebhookFailure.KeysUnavailable => nameof(HankoWebhookFailure.KeysUnavailable),
        HankoWebhookFailure.UnsupportedMediaType => nameof(HankoWebhookFailure.UnsupportedMediaType),
        HankoWebhookFailure.BodyUnreadable => nameof(HankoWebhookFailure.BodyUnreadable),
        _ => "Other",
    };
}
