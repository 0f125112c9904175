using System.Text.RegularExpressions;
using ArchUnitNET.Domain;

namespace Hanko.Webhooks.Tests.Architecture;

/// <summary>
/// The core's layers are its first-level source folders (most public types share the namespace <c>Hanko.Webhooks</c>, so a
/// namespace does not tell them apart). Read from <c>src/Hanko.Webhooks</c> when the tests run: each type declared in a
/// folder's files belongs to that folder; files directly in the project folder form <see cref="Root"/>.
/// </summary>
internal sealed partial class CoreFolders
{
    public const string Root = "(root)";

    private readonly Dictionary<string, string> _folderOfType;

    private CoreFolders(Dictionary<string, string> folderOfType) => _folderOfType = folderOfType;

    public static CoreFolders Instance { get; } = Read();

    /// <summary>Every folder that declares a type.</summary>
    public IReadOnlyCollection<string> Folders => _folderOfType.Values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

    /// <summary>
    /// The folder of a type of the core assembly: that of its outermost declaring type (a nested, compiler-generated or
    /// source-generated part belongs to the type it is part of); <see langword="null"/> for a type the sources do not
    /// declare (compiler-generated attributes, <c>&lt;PrivateImplementationDetails&gt;</c>).
    /// </summary>
    public string? FolderOf(IType type)
    {
        var name = type.FullName;
        var plus = name.IndexOf('+', StringComparison.Ordinal);
        if (plus >= 0)
        {
            name = name[..plus];
        }

        var tick = name.IndexOf('`', StringComparison.Ordinal);
        if (tick >= 0)
        {
            name = name[..tick];
        }

        if (!name.StartsWith("Hanko.Webhooks", StringComparison.Ordinal))
        {
            return null;
        }

        return _folderOfType.GetValueOrDefault(name[(name.LastIndexOf('.') + 1)..]);
    }

    private static CoreFolders Read()
    {
        var src = Path.Combine(RepositoryRoot(), "src", "Hanko.Webhooks");
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(src, file).Replace('\\', '/');
            if (relative.StartsWith("obj/", StringComparison.Ordinal) || relative.StartsWith("bin/", StringComparison.Ordinal))
            {
                continue;
            }

            var slash = relative.IndexOf('/', StringComparison.Ordinal);
            var folder = slash < 0 ? Root : relative[..slash];
            var code = StringsAndComments().Replace(File.ReadAllText(file), " ");
            foreach (Match declaration in Declaration().Matches(code))
            {
                var name = declaration.Groups["name"].Value;
                if (map.TryGetValue(name, out var other) && other != folder)
                {
                    throw new InvalidOperationException($"{name} is declared in both {other} and {folder}: a type name must tell its folder.");
                }

                map[name] = folder;
            }
        }

        return new CoreFolders(map);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Hanko.Webhooks.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Hanko.Webhooks.sln above {AppContext.BaseDirectory}.");
    }

    // Comments, strings and char literals, so that "class" in a message or a doc comment declares nothing.
    [GeneratedRegex("""//[^\n]*|/\*.*?\*/|@?\$?"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])+'""", RegexOptions.Singleline)]
    private static partial Regex StringsAndComments();

    // A type declaration that another folder could name (private nested types cannot be).
    [GeneratedRegex("""(?<!private\s+(?:sealed\s+|static\s+|abstract\s+|readonly\s+|partial\s+)*)\b(?:class|struct|interface|enum|record(?:\s+struct|\s+class)?)\s+(?<name>[A-Za-z_][A-Za-z0-9_]*)""")]
    private static partial Regex Declaration();
}
