using System.Text.Json.Serialization;

namespace Hanko.Webhooks.Subscriptions;

/// <summary>
/// Source-generated System.Text.Json metadata for the Admin API's routes the SDK calls (webhooks; audit logs and users for the catch-up). Names are Hanko's snake_case JSON tags;
/// unknown members are skipped, so fields a newer Hanko adds never break parsing.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(HankoWebhookSubscriptionList))]
[JsonSerializable(typeof(HankoWebhookSubscription))]
[JsonSerializable(typeof(CreateWebhookRequest))]
[JsonSerializable(typeof(UpdateWebhookRequest))]
[JsonSerializable(typeof(AdminApiError))]
[JsonSerializable(typeof(List<AuditLogEntry>))]
[JsonSerializable(typeof(List<AdminUserSummary>))]
internal sealed partial class HankoAdminJsonContext : JsonSerializerContext;

/// <summary>Go <c>admin.CreateWebhookRequestDto</c>: events go out as strings.</summary>
internal sealed class CreateWebhookRequest
{
    public required string Callback { get; init; }

    public required IReadOnlyList<string> Events { get; init; }
}

/// <summary>Go <c>admin.UpdateWebhookRequestDto</c>: all three fields are required.</summary>
internal sealed class UpdateWebhookRequest
{
    public required string Callback { get; init; }

    public required IReadOnlyList<string> Events { get; init; }

    public required bool Enabled { get; init; }
}

/// <summary>Go <c>dto.HTTPError</c> as the error handler writes it: <c>{"code": int, "message": string}</c>.</summary>
internal sealed class AdminApiError
{
    public int? Code { get; set; }

    public string? Message { get; set; }
}
