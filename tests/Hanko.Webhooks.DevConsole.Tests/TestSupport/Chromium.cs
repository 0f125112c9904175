using Microsoft.Playwright;
using NUnit.Framework;

namespace Hanko.Webhooks.DevConsole.Tests.TestSupport;

/// <summary>
/// Debian's /usr/bin/chromium, headless, driven by Playwright (no browser download), with a fresh profile directory; the
/// calling test is ignored where it is missing (failed under <c>CI=true</c>).
/// </summary>
internal sealed class Chromium : IAsyncDisposable
{
    private const string Executable = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;
    private readonly IBrowserContext _browser;
    private readonly DirectoryInfo _profile;

    private Chromium(IPlaywright playwright, IBrowserContext browser, DirectoryInfo profile, IPage page)
    {
        _playwright = playwright;
        _browser = browser;
        _profile = profile;
        Page = page;
    }

    public IPage Page { get; }

    public static async Task<Chromium> StartOrIgnoreAsync(int width, int height)
    {
        if (!File.Exists(Executable))
        {
            if (Environment.GetEnvironmentVariable("CI") == "true")
            {
                Assert.Fail($"{Executable} is missing; .ci/run installs Debian's chromium package.");
            }

            Assert.Ignore($"{Executable} is missing (apt-get install chromium).");
        }

        var playwright = await Playwright.CreateAsync();
        var profile = Directory.CreateTempSubdirectory("hanko-chromium-");

        // A fresh profile directory: Playwright passes it as --user-data-dir.
        var browser = await playwright.Chromium.LaunchPersistentContextAsync(profile.FullName, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = Executable,
            Headless = true,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
            ],
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        var page = browser.Pages.Count > 0 ? browser.Pages[0] : await browser.NewPageAsync();
        page.SetDefaultTimeout(20_000);
        return new Chromium(playwright, browser, profile, page);
    }

    /// <summary>Saves a full-page screenshot into the test's work directory and attaches it to the test result, for a person to look at.</summary>
    public async Task<FileInfo> ScreenshotAsync(string name, string description)
    {
        var path = Path.Combine(TestContext.CurrentContext.WorkDirectory, name);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        TestContext.AddTestAttachment(path, description);
        TestContext.Progress.WriteLine("Screenshot: " + path);
        return new FileInfo(path);
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        _profile.Delete(recursive: true);
    }
}
