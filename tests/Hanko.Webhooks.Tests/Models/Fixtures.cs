using System.Text;
using System.Text.Json;
using NUnit.Framework;

namespace Hanko.Webhooks.Tests.Models;

/// <summary>Reads the fixture files (whole decoded claims objects) and hands out their <c>data</c> claim.</summary>
internal static class Fixtures
{
    public static readonly string Directory = Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures");

    public static IEnumerable<string> UserFiles => Find("user.*.json");

    public static IEnumerable<string> SessionFiles => Find("session.*.json");

    public static IEnumerable<string> EmailFiles => Find("email.send.*.json");

    public static IEnumerable<string> All => UserFiles.Concat(SessionFiles).Concat(EmailFiles);

    /// <summary>The UTF-8 bytes of the fixture's <c>data</c> claim, as the verifier would slice them out.</summary>
    public static byte[] Data(string relativePath) => Encoding.UTF8.GetBytes(DataElement(relativePath).GetRawText());

    public static JsonElement DataElement(string relativePath)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Directory, relativePath)));
        return document.RootElement.GetProperty("data").Clone();
    }

    public static string Event(string relativePath)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Directory, relativePath)));
        return document.RootElement.GetProperty("evt").GetString()!;
    }

    private static IEnumerable<string> Find(string pattern)
        => System.IO.Directory.EnumerateFiles(Directory, pattern, SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(Directory, path).Replace('\\', '/'))
            .Where(path => !Path.GetFileName(path).StartsWith("envelope.", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
}
