using System.Text.RegularExpressions;
using FluentAssertions;
using NUnit.Framework;

namespace Hanko.Webhooks.Tests.Docs;

public sealed partial class TestingPackageExampleReadmeTests
{
    [Test]
    public void Readme_TestingExample_IsTheCodeThatRunsHere()
    {
        var root = Root();
        var source = File.ReadAllText(Path.Combine(root, "tests", "Hanko.Webhooks.Tests", "Docs", "TestingPackageExample.cs"));
        var readme = File.ReadAllText(Path.Combine(root, "README.md"));

        var code = Region().Match(source);
        var shown = ReadmeBlock().Match(readme);

        code.Success.Should().BeTrue();
        shown.Success.Should().BeTrue("README.md marks the example with testing-example:begin/end");
        Normalize(shown.Groups["code"].Value).Should().Contain(Normalize(code.Groups["code"].Value));
    }

    private static string Normalize(string text) => string.Join('\n', text.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0));

    private static string Root()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Hanko.Webhooks.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Hanko.Webhooks.sln not found.");
    }

    [GeneratedRegex("#region readme-testing-example\\n(?<code>.*?)#endregion", RegexOptions.Singleline)]
    private static partial Regex Region();

    [GeneratedRegex("<!-- testing-example:begin -->\\s*```csharp\\n(?<code>.*?)```\\s*<!-- testing-example:end -->", RegexOptions.Singleline)]
    private static partial Regex ReadmeBlock();
}
