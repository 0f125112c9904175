using System.Text.Json.Serialization;

namespace Hanko.Webhooks.Serialization;

/// <summary>
/// Source-generated System.Text.Json metadata for the payloads in a webhook token's <c>data</c> claim.
/// Unknown JSON members are skipped (the default), so new server fields never break parsing.
/// </summary>
/// <remarks>
/// The roots are <see cref="HankoUser"/>, <see cref="HankoSession"/> and <see cref="HankoEmailMessage"/>. The two email
/// data classes are listed too because <see cref="HankoEmailMessageConverter"/> reads them through this context.
/// </remarks>
[JsonSourceGenerationOptions(UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(HankoUser))]
[JsonSerializable(typeof(HankoSession))]
[JsonSerializable(typeof(HankoEmailMessage))]
[JsonSerializable(typeof(PasscodeEmailData))]
[JsonSerializable(typeof(SecurityNotificationEmailData))]
internal sealed partial class HankoJsonContext : JsonSerializerContext;
