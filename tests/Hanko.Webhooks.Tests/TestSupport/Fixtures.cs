using System.Text;
using System.Text.Json;
using NUnit.Framework;

namespace Hanko.Webhooks.Tests.TestSupport;

/// <summary>
/// Reads the Hanko fixtures: the payloads from the Testing package (<c>src/Hanko.Webhooks.Testing/Payloads</c>, the one copy,
/// linked into the output's <c>Fixtures</c> folder), the test-only envelopes of <c>tests/Hanko.Webhooks.Tests/Fixtures</c>, and
/// the legacy and upcoming shapes of <c>tests/Hanko.Webhooks.TestSupport/Fixtures</c> (copied in with that reference).
/// </summary>
internal static class Fixtures
{
    public static string Directory => Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures");

    public static IEnumerable<string> UserFiles => Find("user.*.json");

    public static IEnumerable<string> SessionFiles => Find("session.*.json");

    public static IEnumerable<string> EmailFiles => Find("email.send.*.json");

    public static IEnumerable<string> All => UserFiles.Concat(SessionFiles).Concat(EmailFiles);

    public static string ReadText(string name) => File.ReadAllText(Path.Combine(Directory, name));

    public static byte[] ReadBytes(string name) => File.ReadAllBytes(Path.Combine(Directory, name));

    /// <summary>The UTF-8 bytes of a claims fixture's <c>data</c> claim, as the verifier would slice them out.</summary>
    public static byte[] Data(string relativePath) => Encoding.UTF8.GetBytes(DataElement(relativePath).GetRawText());

    public static JsonElement DataElement(string relativePath)
    {
        using var document = JsonDocument.Parse(ReadBytes(relativePath));
        return document.RootElement.GetProperty("data").Clone();
    }

    /// <summary>The <c>evt</c> claim of a claims fixture.</summary>
    public static string Event(string relativePath)
    {
        using var document = JsonDocument.Parse(ReadBytes(relativePath));
        return document.RootElement.GetProperty("evt").GetString()!;
    }

    /// <summary>The claims fixture for each of the 20 delivered event names (email.send: the passcode one).</summary>
    public static string ForEvent(string eventName) => eventName == HankoEventNames.EmailSend ? "email.send.passcode.json" : eventName + ".json";

    /// <summary>The 20 event names Hanko delivers, written out here independently of the SDK.</summary>
    public static readonly string[] DeliveredEventNames =
    [
        "user.create", "user.login", "user.update", "user.delete",
        "user.update.email.create", "user.update.email.primary", "user.update.email.delete",
        "user.update.username.create", "user.update.username.update", "user.update.username.delete",
        "user.update.password.update", "user.update.custom_claims", "email.send",
        "session.create.flow", "session.create.admin",
        "session.delete.explicit.logout", "session.delete.explicit.revoke", "session.delete.admin.revoke",
        "session.delete.passive.expire", "session.delete.passive.limit",
    ];

    private static IEnumerable<string> Find(string pattern) =>
        System.IO.Directory.EnumerateFiles(Directory, pattern, SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(Directory, path).Replace('\\', '/'))
            .Where(path => !Path.GetFileName(path).StartsWith("envelope.", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
}
