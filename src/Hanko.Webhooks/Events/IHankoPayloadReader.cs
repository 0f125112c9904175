namespace Hanko.Webhooks;

/// <summary>
/// Reads the payload models from the UTF-8 JSON of a verified token's <c>data</c> claim, for the event table's rows. The
/// events only declare what they need; Serialization implements it (<c>HankoPayloadSerializer</c>), so data depends on no
/// JSON reader.
/// </summary>
/// <remarks>Every method throws <see cref="System.Text.Json.JsonException"/> when the JSON does not have the model's shape.</remarks>
internal interface IHankoPayloadReader
{
    HankoUser ReadUser(ReadOnlySpan<byte> utf8Json);

    HankoSession ReadSession(ReadOnlySpan<byte> utf8Json);

    HankoEmailMessage ReadEmailMessage(ReadOnlySpan<byte> utf8Json);

    UserCatchUpData ReadUserCatchUp(ReadOnlySpan<byte> utf8Json);
}
