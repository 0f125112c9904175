using System.Text.RegularExpressions;

namespace Hanko.Webhooks.TestSupport;

/// <summary>
/// A fenced code block of a Markdown file, with the HTML comment on the line before it (if any), which says how the docs
/// tests check it: <c>&lt;!-- quickstart:begin --&gt;</c>, <c>&lt;!-- testing-example:begin --&gt;</c>, or
/// <c>&lt;!-- snippet: KIND; packages: A, B; usings: N --&gt;</c> for a fragment compiled inside a scaffold of that kind.
/// </summary>
public sealed record MarkdownCodeBlock(string File, int Line, string Language, string? Marker, string Code)
{
    /// <summary>The snippet kind of a <c>snippet:</c> marker, else <see langword="null"/>.</summary>
    public string? SnippetKind => Marker is null ? null : MarkdownCodeBlocks.SnippetMarker().Match(Marker) is { Success: true } m ? m.Groups["kind"].Value : null;

    /// <summary>The extra packages a snippet needs (named in its marker).</summary>
    public IReadOnlyList<string> Packages => Marker is not null && MarkdownCodeBlocks.SnippetMarker().Match(Marker) is { Success: true } m && m.Groups["packages"].Success
        ? m.Groups["packages"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
        : [];

    /// <summary>The namespaces a snippet needs beyond the implicit ones and Hanko.Webhooks (named in its marker).</summary>
    public IReadOnlyList<string> Usings => Marker is not null && MarkdownCodeBlocks.SnippetMarker().Match(Marker) is { Success: true } m && m.Groups["usings"].Success
        ? m.Groups["usings"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
        : [];

    public override string ToString() => $"{System.IO.Path.GetFileName(File)}:{Line} ({Language}{(Marker is null ? "" : ", " + Marker)})";
}

public static partial class MarkdownCodeBlocks
{
    /// <summary>The snippet kinds the package tests know a scaffold for.</summary>
    public static readonly IReadOnlyList<string> SnippetKinds = ["program", "web", "receiver", "testing"];

    /// <summary>The Markdown files whose code is checked: the README, the guides in docs/ and each package's own README.</summary>
    public static IEnumerable<string> DocumentedFiles(string root) =>
        new[] { Path.Combine(root, "README.md") }
            .Concat(Guides(root))
            .Concat(Directory.GetFiles(Path.Combine(root, "src"), "PACKAGE.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal));

    /// <summary>The guides the README links to: every Markdown file in docs/.</summary>
    public static IEnumerable<string> Guides(string root) =>
        Directory.GetFiles(Path.Combine(root, "docs"), "*.md").Order(StringComparer.Ordinal);

    /// <summary>
    /// The code of the one block of the README or a guide marked <c>&lt;!-- NAME:begin --&gt;</c> (or the single-line marker
    /// <c>&lt;!-- NAME --&gt;</c>, e.g. <c>quickstart:command</c>), wherever in the documentation it lives: a section can move
    /// between the README and docs/ without its tests changing.
    /// </summary>
    public static MarkdownCodeBlock Marked(string root, string marker)
    {
        var blocks = new[] { Path.Combine(root, "README.md") }.Concat(Guides(root)).SelectMany(Read).Where(b => b.Marker == marker).ToList();
        return blocks.Count == 1
            ? blocks[0]
            : throw new InvalidOperationException($"Expected one code block marked {marker} in README.md and docs/*.md, found {blocks.Count}.");
    }

    /// <summary>The README and every guide as one text, to find a marked example in wherever it lives.</summary>
    public static string DocumentationText(string root) =>
        string.Join('\n', new[] { Path.Combine(root, "README.md") }.Concat(Guides(root)).Select(File.ReadAllText));

    public static IReadOnlyList<MarkdownCodeBlock> Read(string file)
    {
        var lines = File.ReadAllLines(file);
        var blocks = new List<MarkdownCodeBlock>();
        string? previous = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                var language = line[3..].Trim();
                var start = i + 1;
                var end = start;
                while (end < lines.Length && !lines[end].StartsWith("```", StringComparison.Ordinal))
                {
                    end++;
                }

                var marker = previous is not null && previous.StartsWith("<!--", StringComparison.Ordinal) ? previous.Trim() : null;
                blocks.Add(new MarkdownCodeBlock(file, start, language, marker, string.Join('\n', lines[start..end]) + "\n"));
                i = end;
                previous = null;
                continue;
            }

            if (line.Trim().Length > 0)
            {
                previous = line;
            }
        }

        return blocks;
    }

    public static string RepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Hanko.Webhooks.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Hanko.Webhooks.sln not found above " + start);
    }

    [GeneratedRegex("^<!-- snippet: (?<kind>[a-z-]+)(?:; packages: (?<packages>[^;()]*?))?(?:; usings: (?<usings>[^;()]*?))?(?: \\((?<note>[^)]*)\\))? -->$")]
    internal static partial Regex SnippetMarker();
}
