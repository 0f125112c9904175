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
        var readme = File.ReadAllText(Path.Combine(root, "README.md"));

        var code = Region().Match(source);
        var shown = ReadmeBlock().Match(readme);

        code.Success.Should().BeTrue();
        shown.Success.Should().BeTrue("README.md marks the recipe with devconsole-recipe:begin/end");
        Normalize(shown.Groups["code"].Value).Should().Be(Normalize(code.Groups["code"].Value));
    }

    private static string Normalize(string text) => string.Join('\n', text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));

    [GeneratedRegex("#region readme-devconsole-recipe\\n(?<code>.*?)#endregion", RegexOptions.Singleline)]
    private static partial Regex Region();

    [GeneratedRegex("<!-- devconsole-recipe:begin -->\\s*```csharp\\n(?<code>.*?)```\\s*<!-- devconsole-recipe:end -->", RegexOptions.Singleline)]
    private static partial Regex ReadmeBlock();
}
