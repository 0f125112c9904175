using System.Text.Json.Serialization;

namespace Hanko.Webhooks;

/// <summary>
/// The data of a security-notification mail (Go <c>webhook.SecurityNotificationData</c>, type
/// <see cref="HankoEmailTypes.SecurityNotification"/>, since Hanko v2.4.2).
/// </summary>
public sealed class SecurityNotificationEmailData : HankoEmailData
{
    // System.Text.Json reads and writes the internal fields below each property: the source generator sets fields
    // directly (its fast path), where init-only properties would send it down its constructor path (see BENCHMARKS.md).

    /// <summary>Which notification this is (wire <c>template</c>); see <see cref="HankoSecurityNotificationTemplates"/>. Always sent.</summary>
    [JsonIgnore]
    public string Template { get => _template ?? ""; init => _template = value; }

    [JsonInclude, JsonPropertyName("template")]
    internal string? _template;

    /// <summary>The configured service name (wire <c>service_name</c>); <see langword="null"/> when Hanko leaves it out.</summary>
    [JsonIgnore]
    public string? ServiceName { get => _serviceName; init => _serviceName = value; }

    [JsonInclude, JsonPropertyName("service_name"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    internal string? _serviceName;

    /// <summary>The added or new primary address (wire <c>new_email_address</c>); sent for <c>email_create</c> and <c>primary_email_update</c>, otherwise <see langword="null"/>.</summary>
    [JsonIgnore]
    public string? NewEmailAddress { get => _newEmailAddress; init => _newEmailAddress = value; }

    [JsonInclude, JsonPropertyName("new_email_address"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    internal string? _newEmailAddress;

    /// <summary>The previous primary address (wire <c>old_email_address</c>); sent for <c>primary_email_update</c>, otherwise <see langword="null"/>.</summary>
    [JsonIgnore]
    public string? OldEmailAddress { get => _oldEmailAddress; init => _oldEmailAddress = value; }

    [JsonInclude, JsonPropertyName("old_email_address"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    internal string? _oldEmailAddress;

    /// <summary>The removed address (wire <c>deleted_email_address</c>); sent for <c>email_delete</c>, otherwise <see langword="null"/>.</summary>
    [JsonIgnore]
    public string? DeletedEmailAddress { get => _deletedEmailAddress; init => _deletedEmailAddress = value; }

    [JsonInclude, JsonPropertyName("deleted_email_address"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    internal string? _deletedEmailAddress;
}
