using System.Text.Json.Serialization;

namespace Hanko.Webhooks.Serialization;

/// <summary>
/// Source-generated System.Text.Json metadata for the payloads in a webhook token's <c>data</c> claim.
/// Unknown JSON members are skipped (the default), so new server fields never break parsing. The depth limit is the
/// verifier's (<see cref="HankoEventParts.MaxDataDepth"/>): metadata an end user writes may nest as deep as Hanko
/// can encode, and the metadata is read into a <see cref="System.Text.Json.JsonElement"/>, which is parsed without recursion.
/// </summary>
/// <remarks>
/// The roots are <see cref="HankoUser"/>, <see cref="HankoSession"/> and <see cref="HankoEmailMessage"/>. The two email
/// data classes are listed too because <see cref="HankoEmailMessageConverter"/> reads them through this context.
/// </remarks>
[JsonSourceGenerationOptions(UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip, MaxDepth = HankoEventParts.DataDepthLimit)]
[JsonSerializable(typeof(HankoUser))]
[JsonSerializable(typeof(HankoSession))]
[JsonSerializable(typeof(HankoEmailMessage))]
[JsonSerializable(typeof(PasscodeEmailData))]
[JsonSerializable(typeof(SecurityNotificationEmailData))]
[JsonSerializable(typeof(UserCatchUpData))]
internal sealed partial class HankoJsonContext : JsonSerializerContext;
