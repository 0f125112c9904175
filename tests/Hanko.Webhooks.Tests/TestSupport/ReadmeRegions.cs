using System.Text.RegularExpressions;
using FluentAssertions;
using Hanko.Webhooks.TestSupport;
using NUnit.Framework;

namespace Hanko.Webhooks.Tests.TestSupport;

/// <summary>Checks that a README code block shows a <c>#region</c> of code that runs in this test suite.</summary>
internal static class ReadmeRegions
{
    /// <summary>The repository root (where <c>Hanko.Webhooks.sln</c> is).</summary>
    public static string Root() => MarkdownCodeBlocks.RepositoryRoot(TestContext.CurrentContext.TestDirectory);

    /// <summary>Asserts that the block of README.md or docs/*.md between <c>&lt;!-- NAME:begin --&gt;</c> and <c>NAME:end</c> contains the region's code.</summary>
    /// <param name="sourceFile">The file under tests/Hanko.Webhooks.Tests/Docs that holds the region.</param>
    /// <param name="region">The <c>#region</c> name.</param>
    /// <param name="beginMarker">The README marker, written out (<c>NAME:begin</c>) so that the docs test finds the block mirrored.</param>
    public static void ShouldShowRegion(string sourceFile, string region, string beginMarker)
    {
        beginMarker.Should().EndWith(":begin");
        var marker = beginMarker[..^":begin".Length];
        var root = Root();
        var source = File.ReadAllText(Path.Combine(root, "tests", "Hanko.Webhooks.Tests", "Docs", sourceFile));
        var readme = MarkdownCodeBlocks.DocumentationText(root); // the README and docs/*.md
        var code = Regex.Match(source, $"#region {Regex.Escape(region)}\\n(?<code>.*?)#endregion", RegexOptions.Singleline);
        var shown = Regex.Match(readme, $"<!-- {Regex.Escape(marker)}:begin -->\\s*```csharp\\n(?<code>.*?)```\\s*<!-- {Regex.Escape(marker)}:end -->", RegexOptions.Singleline);

        code.Success.Should().BeTrue($"{sourceFile} has #region {region}");
        shown.Success.Should().BeTrue($"README.md or a page of docs/ marks the example with {marker}:begin/end");
        Normalize(shown.Groups["code"].Value).Should().Contain(Normalize(code.Groups["code"].Value));
    }

    // Indentation differs between a method body and the README, so lines are compared trimmed.
    private static string Normalize(string text) => string.Join('\n', text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));
}
