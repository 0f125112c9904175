using System.Text.RegularExpressions;
using FluentAssertions;
using Hanko.Webhooks.TestSupport;
using NUnit.Framework;

namespace Hanko.Webhooks.Tests.Docs;

/// <summary>
/// The README is read in fifteen minutes and the depth lives in docs/: every guide is linked from the README, and every
/// link between the repository's Markdown files (and every link of a package README back into the repository) lands on a
/// file and a heading that exist, so that moving a section between the README and a guide cannot break a link unseen.
/// </summary>
public sealed partial class DocsLinksTests
{
    private const string Repository = "https://github.com/hanko-webhooks/hanko-webhooks-dotnet";

    private static readonly string Root = MarkdownCodeBlocks.RepositoryRoot(TestContext.CurrentContext.TestDirectory);

    [Test]
    public void Readme_HasAtMost450Lines()
    {
        File.ReadAllLines(Path.Combine(Root, "README.md")).Length.Should().BeLessThanOrEqualTo(450, "the README is read in fifteen minutes; depth goes to docs/");
    }

    [Test]
    public void EveryGuideInDocs_IsLinkedFromTheReadme()
    {
        var readme = File.ReadAllText(Path.Combine(Root, "README.md"));
        foreach (var guide in MarkdownCodeBlocks.Guides(Root).Select(Path.GetFileName))
        {
            readme.Should().Contain($"](docs/{guide})", $"the README links docs/{guide}");
        }
    }

    [Test]
    public void EveryLinkIntoTheRepository_LandsOnAFileAndAHeadingThatExist()
    {
        var files = new[] { "README.md", "ARCHITECTURE.md", "BENCHMARKS.md", "CHANGELOG.md" }.Select(f => Path.Combine(Root, f))
            .Concat(MarkdownCodeBlocks.DocumentedFiles(Root)).Distinct().ToList();
        var checkedLinks = 0;
        foreach (var file in files)
        {
            foreach (var target in Links(File.ReadAllText(file)))
            {
                if (Resolve(file, target) is not var (path, anchor))
                {
                    continue;
                }

                var where = $"{Path.GetRelativePath(Root, file)} links {target}";
                (File.Exists(path) || Directory.Exists(path)).Should().BeTrue($"{where}: {Path.GetRelativePath(Root, path)} exists");
                if (anchor.Length > 0)
                {
                    Anchors(path).Should().Contain(anchor, $"{where}: a heading with that anchor exists in {Path.GetRelativePath(Root, path)}");
                }

                checkedLinks++;
            }
        }

        checkedLinks.Should().BeGreaterThan(40);
    }

    [TestCase("Testing your handlers: `Hanko.Webhooks.Testing`", "testing-your-handlers-hankowebhookstesting")]
    [TestCase("Never silently cut off: watch the hook on Hanko's side", "never-silently-cut-off-watch-the-hook-on-hankos-side")]
    [TestCase("Exactly once across instances: `UseRedis()`", "exactly-once-across-instances-useredis")]
    [TestCase("How Hanko delivers (and what that means for your handlers)", "how-hanko-delivers-and-what-that-means-for-your-handlers")]
    public void Slug_IsGitHubs(string heading, string slug) => Slug(heading).Should().Be(slug);

    /// <summary>A file and anchor inside the repository, or null for a link elsewhere.</summary>
    private static (string Path, string Anchor)? Resolve(string from, string target)
    {
        string path;
        if (target.StartsWith(Repository, StringComparison.Ordinal))
        {
            var rest = target[Repository.Length..];
            path = rest.StartsWith("/blob/main/", StringComparison.Ordinal) ? rest["/blob/main/".Length..]
                : rest.StartsWith('#') || rest.Length == 0 ? "README.md" + rest
                : rest;
            if (path.StartsWith('/') || path.StartsWith("/tree/", StringComparison.Ordinal))
            {
                return null;
            }

            path = Path.Combine(Root, path);
        }
        else if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
        {
            return null;
        }
        else
        {
            path = target.StartsWith('#') ? Path.GetFileName(from) + target : target;
            path = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(from)!, path));
        }

        var hash = path.IndexOf('#', StringComparison.Ordinal);
        var anchor = hash < 0 ? "" : path[(hash + 1)..];
        return (hash < 0 ? path : path[..hash], anchor == "readme" && path.EndsWith("README.md#readme", StringComparison.Ordinal) ? "" : anchor);
    }

    // Markdown links, and bare links into the repository (the package READMEs end with one).
    private static IEnumerable<string> Links(string markdown) =>
        MarkdownLink().Matches(WithoutCode(markdown)).Select(m => m.Groups["target"].Value)
            .Concat(BareRepositoryLink().Matches(WithoutCode(markdown)).Select(m => m.Value.TrimEnd('.', ',', ';', ':')))
            .Distinct(StringComparer.Ordinal);

    private static string WithoutCode(string markdown) => FencedCode().Replace(markdown, "");

    private static HashSet<string> Anchors(string file)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in WithoutCode(File.ReadAllText(file)).Split('\n'))
        {
            var heading = Heading().Match(line);
            if (!heading.Success)
            {
                continue;
            }

            var slug = Slug(heading.Groups["text"].Value);
            var count = seen.GetValueOrDefault(slug);
            seen[slug] = count + 1;
            anchors.Add(count == 0 ? slug : $"{slug}-{count}");
        }

        return anchors;
    }

    private static string Slug(string heading) =>
        NotInSlug().Replace(heading.Trim().ToLowerInvariant(), "").Replace(' ', '-');

    [GeneratedRegex("\\]\\((?<target>[^)\\s]+)\\)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex("(?<![(\\w])https://github\\.com/hanko-webhooks/hanko-webhooks-dotnet[^\\s)>\"`]*")]
    private static partial Regex BareRepositoryLink();

    [GeneratedRegex("^```.*?^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FencedCode();

    [GeneratedRegex("^#{1,6} (?<text>.+?)\\s*$")]
    private static partial Regex Heading();

    [GeneratedRegex("[^\\p{L}\\p{N} _-]")]
    private static partial Regex NotInSlug();
}
