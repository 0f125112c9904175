using FluentAssertions;
using Hanko.Webhooks.Testing;
using NUnit.Framework;

namespace Hanko.Webhooks.Tests.Testing;

/// <summary>The payload fixtures exist once: in the Testing package, which FakeHanko embeds and the tests read.</summary>
public sealed class PayloadFixtureCopyTests
{
    [Test]
    public void Payloads_LiveOnlyInTheTestingPackage_AndTheTestsReadThoseFiles()
    {
        var root = TestContext.CurrentContext.TestDirectory;
        while (!File.Exists(Path.Combine(root, "Hanko.Webhooks.sln")))
        {
            root = Path.GetDirectoryName(root)!;
        }

        var package = Directory.GetFiles(Path.Combine(root, "src", "Hanko.Webhooks.Testing", "Payloads"), "*.json").Select(Path.GetFileName).ToArray();
        // The core tests' own fixtures and the shared ones (legacy and upcoming shapes) in the TestSupport project.
        string[] fixtureFolders =
        [
            Path.Combine(root, "tests", "Hanko.Webhooks.Tests", "Fixtures"),
            Path.Combine(root, "tests", "Hanko.Webhooks.TestSupport", "Fixtures"),
        ];
        var testCopies = fixtureFolders
            .SelectMany(fixtures => Directory.GetFiles(fixtures, "*.json", SearchOption.AllDirectories))
            .Select(Path.GetFileName);

        package.Should().HaveCount(29);
        testCopies.Should().NotIntersectWith(package, "a second copy of a payload drifts from the one FakeHanko sends");
        foreach (var name in package)
        {
            File.ReadAllBytes(Path.Combine(TestSupport.Fixtures.Directory, name!))
                .Should().Equal(File.ReadAllBytes(Path.Combine(root, "src", "Hanko.Webhooks.Testing", "Payloads", name!)));
        }

        FakeHanko.EventNames.Should().OnlyContain(e => package.Contains(e == HankoEventNames.EmailSend ? "email.send.passcode.json" : e + ".json"));
    }
}
