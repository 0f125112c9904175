using Hanko.Webhooks.Tests.TestSupport;
using NUnit.Framework;

namespace Hanko.Webhooks.Tests.Docs;

public sealed class TestingPackageExampleReadmeTests
{
    [Test]
    public void Readme_TestingExample_IsTheCodeThatRunsHere() =>
        ReadmeRegions.ShouldShowRegion("TestingPackageExample.cs", "readme-testing-example", "testing-example:begin");
}
