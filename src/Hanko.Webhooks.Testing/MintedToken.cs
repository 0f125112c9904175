using System.Text.Json.Nodes;

namespace Hanko.Webhooks.Testing;

/// <summary>The three segments of a signed token and the claims they were made from.</summary>
internal sealed record MintedToken(string Header, string Payload, string Signature, SortedDictionary<string, JsonNode?> Claims)
{
    public string Token => $"{Header}.{Payload}.{Signature}";

    public HankoDelivery ToDelivery(string eventName, FakeDeliveryOptions options) => ToDelivery(eventName, options, Token);

    public static HankoDelivery ToDelivery(string eventName, FakeDeliveryOptions options, string token)
    {
        var body = GoJson.Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("token", token);
            if (!options.OmitBodyEvent)
            {
                writer.WriteString("event", options.BodyEvent ?? eventName);
            }

            writer.WriteEndObject();
        });
        return new HankoDelivery(eventName, token, body);
    }
}
