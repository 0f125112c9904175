using System.Text.RegularExpressions;
using FluentAssertions;
using NUnit.Framework;

namespace Hanko.Webhooks.DevConsole.Tests.Docs;

public sealed partial class DevConsoleReadmeTests
{
    [Test]
    public void Readme_WebApplicationFactoryRecipe_IsTheCodeThatRunsHere()
    {
        var root = Repository.Root();
        var source = File.ReadAllText(Path.Combine(root, "tests", "Hanko.Webhooks.DevConsole.Tests", "Docs", "DevConsoleRecipe.cs"));
        // The README and its guides in docs/: the recipe lives in docs/testing.md.
        var readme = string.Join('\n', Directory.GetFiles(Path.Combine(root, "docs"), "*.md").Prepend(Path.Combine(root, "README.md")).Select(File.ReadAllText));

        var code = Region().Match(source);
        var shown = ReadmeBlock().Match(readme);

        code.Success.Should().BeTrue();
        shown.Success.Should().BeTrue("docs/testing.md marks the recipe with devconsole-recipe:begin/end");
        Normalize(shown.Groups["code"].Value).Should().Be(Normalize(code.Groups["code"].Value));
    }

    private static string Normalize(string text) => string.Join('\n', text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));

    [GeneratedRegex("#region readme-devconsole-recipe\\n(?<code>.*?)#endregion", RegexOptions.Singleline)]
    private static partial Regex Region();

    [GeneratedRegex("<!-- devconsole-recipe:begin -->\\s*```csharp\\n(?<code>.*?)```\\s*<!-- devconsole-recipe:end -->", RegexOptions.Singleline)]
    private static partial Regex ReadmeBlock();
}
