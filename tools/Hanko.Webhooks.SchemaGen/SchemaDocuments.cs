using System.Text.Encodings.Web;
using System.Text.Json;

namespace Hanko.Webhooks.SchemaGen;

/// <summary>
/// Every file of <c>schemas/</c>: one claims schema per delivered event (<see cref="HankoEventNames.Delivered"/>) and the
/// AsyncAPI document. The one way they are made: the tool writes them, the core tests regenerate and compare them.
/// </summary>
internal static class SchemaDocuments
{
    /// <summary>The folder, relative to the repository root.</summary>
    public const string Folder = "schemas";

    public const string AsyncApiFileName = "hanko-webhooks.asyncapi.yaml";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The claims schema file of an event.</summary>
    public static string SchemaFileName(string eventName) => eventName + ".schema.json";

    /// <summary>The files, in a stable order, with <c>\n</c> line ends and a final newline.</summary>
    public static IReadOnlyList<SchemaDocument> Generate()
    {
        var documents = HankoEventNames.Delivered
            .Select(name => new SchemaDocument(SchemaFileName(name), ClaimsSchemas.For(name).ToJsonString(Indented).ReplaceLineEndings("\n") + "\n"))
            .ToList();
        documents.Add(new SchemaDocument(AsyncApiFileName, YamlText.Write(AsyncApiDocument.Build())));
        return documents;
    }

    /// <summary>What differs between <see cref="Generate"/> and <paramref name="folder"/>: missing, changed or extra files (line ends aside, for checkouts that convert them).</summary>
    public static IReadOnlyList<string> Differences(string folder)
    {
        var differences = new List<string>();
        var generated = Generate();
        foreach (var document in generated)
        {
            var path = Path.Combine(folder, document.FileName);
            if (!File.Exists(path))
            {
                differences.Add($"{document.FileName}: missing");
            }
            else if (File.ReadAllText(path).ReplaceLineEndings("\n") != document.Text)
            {
                differences.Add($"{document.FileName}: differs from what the models generate");
            }
        }

        if (Directory.Exists(folder))
        {
            differences.AddRange(Directory.GetFiles(folder)
                .Select(Path.GetFileName)
                .Where(name => !generated.Any(d => d.FileName == name))
                .Select(name => $"{name}: not generated (left over)"));
        }

        return differences;
    }

    /// <summary>The repository root above <paramref name="start"/> (the folder with Hanko.Webhooks.sln).</summary>
    public static string RepositoryRoot(string start)
    {
        var directory = new DirectoryInfo(start);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Hanko.Webhooks.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException($"No Hanko.Webhooks.sln above {start}.");
    }
}

/// <summary>One generated file.</summary>
internal sealed record SchemaDocument(string FileName, string Text);
