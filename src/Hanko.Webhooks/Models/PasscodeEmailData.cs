using System.Text.Json.Serialization;
using Hanko.Webhooks.Serialization;

namespace Hanko.Webhooks;

/// <summary>
/// The data of a passcode mail (Go <c>webhook.PasscodeData</c>), for the types <c>login</c>, <c>recovery</c>,
/// <c>email_verification</c>, <c>email_login_attempted</c>, <c>email_registration_attempted</c> and legacy <c>passcode</c>
/// (see <see cref="HankoEmailTypes"/>).
/// </summary>
/// <remarks>
/// Since Hanko v2.2.1 every key is left out when empty; the "attempted" types then carry only <see cref="ServiceName"/>.
/// Before v2.2.1 every key was always sent. The OTP code is a secret: never log it.
/// </remarks>
public sealed class PasscodeEmailData : HankoEmailData
{
    // System.Text.Json reads and writes the internal fields below each property: the source generator sets fields
    // directly (its fast path), where init-only properties would send it down its constructor path (see BENCHMARKS.md).

    /// <summary>The configured service name (wire <c>service_name</c>); <see langword="null"/> when Hanko leaves it out.</summary>
    [JsonIgnore]
    public string? ServiceName { get => _serviceName; init => _serviceName = value; }

    [JsonInclude, JsonPropertyName("service_name"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    internal string? _serviceName;

    /// <summary>
    /// The passcode (wire <c>otp_code</c>): digits, or alphanumerics with <c>email.passcode_charset: alphanumeric</c>.
    /// A string because leading zeros matter. <see langword="null"/> for the "attempted" types (since Hanko v2.2.1).
    /// </summary>
    [JsonIgnore]
    public string? OtpCode { get => _otpCode; init => _otpCode = value; }

    [JsonInclude, JsonPropertyName("otp_code"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    internal string? _otpCode;

    /// <summary>How long the passcode is valid (wire <c>ttl</c>, integer seconds; Hanko's default is 300). <see langword="null"/> when left out.</summary>
    [JsonIgnore]
    public TimeSpan? Ttl { get => _ttl; init => _ttl = value; }

    [JsonInclude, JsonPropertyName("ttl"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), JsonConverter(typeof(SecondsTimeSpanConverter))]
    internal TimeSpan? _ttl;

    /// <summary>When the passcode expires (wire <c>valid_until</c>, integer Unix seconds, UTC). <see langword="null"/> when left out.</summary>
    [JsonIgnore]
    public DateTimeOffset? ValidUntil { get => _validUntil; init => _validUntil = value; }

    [JsonInclude, JsonPropertyName("valid_until"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), JsonConverter(typeof(UnixSecondsDateTimeOffsetConverter))]
    internal DateTimeOffset? _validUntil;
}
