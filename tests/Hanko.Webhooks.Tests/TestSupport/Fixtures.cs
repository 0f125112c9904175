using NUnit.Framework;
using System.Text.Json;

namespace Hanko.Webhooks.Tests.TestSupport;

/// <summary>Reads the Hanko fixtures copied from shared/hanko/fixtures.</summary>
internal static class Fixtures
{
    public static string Directory => Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures");

    public static string ReadText(string name) => File.ReadAllText(Path.Combine(Directory, name));

    public static byte[] ReadBytes(string name) => File.ReadAllBytes(Path.Combine(Directory, name));

    /// <summary>The <c>data</c> claim of a claims fixture, as UTF-8 JSON.</summary>
    public static byte[] Data(string name)
    {
        using var doc = JsonDocument.Parse(ReadText(name));
        return JsonSerializer.SerializeToUtf8Bytes(doc.RootElement.GetProperty("data"));
    }

    /// <summary>The claims fixture for each of the 19 delivered event names (email.send: the passcode one).</summary>
    public static string ForEvent(string eventName) => eventName == HankoEventNames.EmailSend ? "email.send.passcode.json" : eventName + ".json";

    /// <summary>The 19 event names Hanko delivers, written out here independently of the SDK.</summary>
    public static readonly string[] DeliveredEventNames =
    [
        "user.create", "user.login", "user.update", "user.delete",
        "user.update.email.create", "user.update.email.primary", "user.update.email.delete",
        "user.update.username.create", "user.update.username.update", "user.update.username.delete",
        "user.update.password.update", "email.send",
        "session.create.flow", "session.create.admin",
        "session.delete.explicit.logout", "session.delete.explicit.revoke", "session.delete.admin.revoke",
        "session.delete.passive.expire", "session.delete.passive.limit",
    ];
}
