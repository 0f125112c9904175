using System.Text.Json.Serialization;

namespace Hanko.Webhooks;

/// <summary>
/// The data of a security-notification mail (Go <c>webhook.SecurityNotificationData</c>, type
/// <see cref="HankoEmailTypes.SecurityNotification"/>, since Hanko v2.4.2).
/// </summary>
public sealed class SecurityNotificationEmailData : HankoEmailData
{
    // Backing fields: the source generator sets init-only properties through an object initializer and passes
    // null for an absent key, so the setter restores the default (absent on the wire == empty).
    private string _template = "";

    /// <summary>Which notification this is (wire <c>template</c>); see <see cref="HankoSecurityNotificationTemplates"/>. Always sent.</summary>
    [JsonPropertyName("template")]
    public string Template { get => _template; set => _template = value ?? ""; }

    /// <summary>The configured service name (wire <c>service_name</c>); <see langword="null"/> when Hanko leaves it out.</summary>
    [JsonPropertyName("service_name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ServiceName { get; set; }

    /// <summary>The added or new primary address (wire <c>new_email_address</c>); sent for <c>email_create</c> and <c>primary_email_update</c>, otherwise <see langword="null"/>.</summary>
    [JsonPropertyName("new_email_address")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? NewEmailAddress { get; set; }

    /// <summary>The previous primary address (wire <c>old_email_address</c>); sent for <c>primary_email_update</c>, otherwise <see langword="null"/>.</summary>
    [JsonPropertyName("old_email_address")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? OldEmailAddress { get; set; }

    /// <summary>The removed address (wire <c>deleted_email_address</c>); sent for <c>email_delete</c>, otherwise <see langword="null"/>.</summary>
    [JsonPropertyName("deleted_email_address")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? DeletedEmailAddress { get; set; }
}
