using System.Text.Json.Serialization;

namespace Hanko.Webhooks.DevConsole.Internal;

/// <summary>Source-generated JSON for the one string the page template needs escaped.</summary>
[JsonSerializable(typeof(string))]
internal sealed partial class ConsoleJsonContext : JsonSerializerContext;
