using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using FluentAssertions;
using Hanko.Webhooks.TestSupport;
using NUnit.Framework;

namespace Hanko.Webhooks.Tests.Docs;

/// <summary>
/// Every code block of README.md, of the guides in docs/ and of the packages' own READMEs says how it is checked, so that none can rot unseen:
/// the package tests (Hanko.Webhooks.PackageTests) build every C# block from the packed packages. Here, the fast part:
/// each C# block is marked with a kind the package tests know, JSON and XML blocks parse, and package READMEs link only
/// absolutely (a relative link is broken on nuget.org).
/// </summary>
public sealed partial class ReadmeCodeBlocksTests
{
    private static readonly string Root = MarkdownCodeBlocks.RepositoryRoot(TestContext.CurrentContext.TestDirectory);

    private static IEnumerable<MarkdownCodeBlock> AllBlocks() => MarkdownCodeBlocks.DocumentedFiles(Root).SelectMany(MarkdownCodeBlocks.Read);

    [Test]
    public void DocumentedFiles_AreTheReadmeTheGuidesAndOnePackageReadmePerPackage()
    {
        MarkdownCodeBlocks.DocumentedFiles(Root).Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/'))
            .Should().Contain(["README.md", "docs/configuration.md", "docs/durable-processing.md", "docs/subscriptions.md", "docs/several-projects.md", "docs/testing.md", "docs/telemetry.md", "docs/design.md"])
            .And.Contain(["src/Hanko.Webhooks/PACKAGE.md", "src/Hanko.Webhooks.AspNetCore/PACKAGE.md", "src/Hanko.Webhooks.Testing/PACKAGE.md", "src/Hanko.Webhooks.DevConsole/PACKAGE.md"]);
        Directory.GetFiles(Path.Combine(Root, "src"), "*.csproj", SearchOption.AllDirectories)
            .Should().OnlyContain(p => File.Exists(Path.Combine(Path.GetDirectoryName(p)!, "PACKAGE.md")), "every package has its own NuGet README");
        AllBlocks().Count(b => b.Language == "csharp").Should().BeGreaterThanOrEqualTo(9);
    }

    [Test]
    public void EveryCSharpBlock_IsMarkedWithAKindThePackageTestsBuild()
    {
        // A "<!-- NAME:begin -->" block is mirrored by a test that keeps it identical to code that runs (the quick start, the
        // testing example, the dev console's WebApplicationFactory recipe, …): some test must name its marker.
        var testSources = string.Concat(Directory.GetFiles(Path.Combine(Root, "tests"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText));
        foreach (var block in AllBlocks().Where(b => b.Language == "csharp"))
        {
            var mirrored = block.Marker is not null && MirroredMarker().Match(block.Marker) is { Success: true } m
                && testSources.Contains(m.Groups["name"].Value + ":begin", StringComparison.Ordinal);
            var known = mirrored || (block.SnippetKind is { } kind && MarkdownCodeBlocks.SnippetKinds.Contains(kind));
            known.Should().BeTrue(
                $"{block} needs a marker on the line before it: <!-- snippet: KIND --> with KIND one of {string.Join(", ", MarkdownCodeBlocks.SnippetKinds)} "
                + "(add '; packages: A, B' for packages it needs beyond Hanko.Webhooks and Hanko.Webhooks.Testing), or <!-- NAME:begin --> "
                + "for a block that a test keeps identical to code that runs");
        }
    }

    [Test]
    public void ProgramBlocks_AreTheReadmesQuickStart()
    {
        var quickStart = AllBlocks().Single(b => b.Marker == "<!-- quickstart:begin -->").Code;

        var programs = AllBlocks().Where(b => b.SnippetKind == "program").ToList();

        programs.Should().NotBeEmpty("the ASP.NET Core package's README shows the quick start");
        programs.Should().OnlyContain(b => b.Code == quickStart, "a complete program in a README is the quick start the package tests run");
    }

    [Test]
    public void JsonAndXmlBlocks_Parse()
    {
        foreach (var block in AllBlocks())
        {
            switch (block.Language)
            {
                case "json":
                    var parse = () => JsonDocument.Parse(block.Code).Dispose();
                    parse.Should().NotThrow(block.ToString());
                    break;
                case "xml":
                    var load = () => XDocument.Parse(block.Code);
                    load.Should().NotThrow(block.ToString());
                    break;
            }
        }
    }

    [Test]
    public void PackageReadmes_LinkOnlyAbsolutely_AndAreShort()
    {
        foreach (var file in MarkdownCodeBlocks.DocumentedFiles(Root).Where(f => Path.GetFileName(f) == "PACKAGE.md"))
        {
            var text = File.ReadAllText(file);
            MarkdownLink().Matches(text).Select(m => m.Groups["target"].Value)
                .Should().OnlyContain(t => t.StartsWith("https://", StringComparison.Ordinal), $"{file}: nuget.org shows the README without the repository around it");
            text.Should().Contain("https://github.com/hanko-webhooks/hanko-webhooks-dotnet", $"{file} links to the full documentation");
            text.Length.Should().BeLessThan(4000, $"{file} is a package page, not the repository README");
        }
    }

    [GeneratedRegex("^<!-- (?<name>[a-z-]+):begin -->$")]
    private static partial Regex MirroredMarker();

    [GeneratedRegex("\\]\\((?<target>[^)\\s]+)\\)|<(?:img|a)\\s[^>]*(?:src|href)=\"(?<target>[^\"]+)\"")]
    private static partial Regex MarkdownLink();
}
