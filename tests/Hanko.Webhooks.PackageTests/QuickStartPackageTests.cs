using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using FluentAssertions;
using Hanko.Webhooks.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using NUnit.Framework;

namespace Hanko.Webhooks.PackageTests;

/// <summary>
/// The `dotnet add package` story, end to end: pack the libraries into a folder feed, create a fresh web project,
/// add Hanko.Webhooks.AspNetCore from that feed, paste the README's quick start as its Program.cs, build it, run it,
/// and post signed deliveries to it.
/// </summary>
[NonParallelizable]
public sealed partial class QuickStartPackageTests
{
    private string _work = null!;

    [SetUp]
    public void SetUp() => _work = Directory.CreateTempSubdirectory("hanko-pkgtest-").FullName;

    [TearDown]
    public void TearDown()
    {
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Test]
    public async Task ReadmeQuickStart_InstalledFromThePackedFeed_BuildsRunsAndHandlesASignedDelivery()
    {
        var root = RepositoryRoot();
        var version = $"0.0.0-pkgtest.{DateTime.UtcNow:yyyyMMddHHmmssfff}";
        var feed = Path.Combine(_work, "feed");
        var source = CopySources(root);

        // 1. Pack the libraries as a release would.
        foreach (var project in new[] { "Hanko.Webhooks", "Hanko.Webhooks.AspNetCore" })
        {
            Run("dotnet", $"pack \"{Path.Combine(source, "src", project, project + ".csproj")}\" -c Release -o \"{feed}\" -p:Version={version}", source);
        }

        Directory.GetFiles(feed, "*.nupkg").Select(Path.GetFileName).Should().Contain([$"Hanko.Webhooks.{version}.nupkg", $"Hanko.Webhooks.AspNetCore.{version}.nupkg"]);
        Directory.GetFiles(feed, "*.snupkg").Should().HaveCount(2, "symbols are packed next to each package");

        // 2. A fresh web project that knows nothing of this repository.
        var app = Path.Combine(_work, "app");
        Run("dotnet", $"new web -n QuickStart -o \"{app}\" --framework net10.0", _work);
        // Our packages come from the feed; their dependencies (IdentityModel, Microsoft.Extensions.*) from the sources
        // the machine's own NuGet configuration already lists, which this file adds to rather than replaces.
        await File.WriteAllTextAsync(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="local-feed" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        Run("dotnet", $"add package Hanko.Webhooks.AspNetCore --version {version} --source \"{feed}\"", app);

        // 3. The README's quick start, exactly as written there.
        var quickStart = ReadmeQuickStart(Path.Combine(root, "README.md"));
        await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), quickStart);
        Run("dotnet", "build -c Release", app);

        // 4. Run it against a fake Hanko's JWKS and post deliveries.
        using var hanko = new FakeHanko(new FakeHankoOptions { Audience = "quickstart.example" });
        var jwksRequests = new int[1];
        await using var jwks = await StartJwksServerAsync(hanko, jwksRequests);
        var port = FreePort();
        var dll = Path.Combine(app, "bin", "Release", "net10.0", "QuickStart.dll");
        using var process = Start("dotnet", $"\"{dll}\"", app, new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["Hanko__Webhooks__JwksUrl"] = jwks.Urls.Single() + "/.well-known/jwks.json",
            ["Hanko__Webhooks__Audience"] = "quickstart.example",
        }, out var output);
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await WaitForListeningAsync(client, process, output);

            var delivered = await client.PostAsync("/webhooks/hanko", hanko.CreateDelivery("email.send").ToHttpContent());
            var forged = await client.PostAsync("/webhooks/hanko", hanko.CreateSessionTokenDelivery().ToHttpContent());

            delivered.StatusCode.Should().Be(HttpStatusCode.OK, output.ToString());
            forged.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
            await WaitForAsync(() => output.ToString().Contains("login mail to send", StringComparison.Ordinal), "the README's handler logs the mail it would send");
            Volatile.Read(ref jwksRequests[0]).Should().Be(1, "the app fetched the JWKS once, at start");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [Test]
    public void ReadmeQuickStart_IsTheThreeLinesOfTheBrief()
    {
        var quickStart = ReadmeQuickStart(Path.Combine(RepositoryRoot(), "README.md"));

        quickStart.Should().Contain("builder.Services.AddHankoWebhooks().AddHandler<SendPasscodeEmail>();");
        quickStart.Should().Contain("app.MapHankoWebhooks(\"/webhooks/hanko\");");
        quickStart.Should().Contain("IHankoEventHandler<EmailSendEvent>");
    }

    private static string ReadmeQuickStart(string readme)
    {
        var match = QuickStartBlock().Match(File.ReadAllText(readme));
        match.Success.Should().BeTrue("README.md marks its quick start with quickstart:begin/end comments around a csharp block");
        return match.Groups["code"].Value;
    }

    [GeneratedRegex("<!-- quickstart:begin -->\\s*```csharp\\n(?<code>.*?)```\\s*<!-- quickstart:end -->", RegexOptions.Singleline)]
    private static partial Regex QuickStartBlock();

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Hanko.Webhooks.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Hanko.Webhooks.sln not found above the test directory.");
    }

    /// <summary>Copies what packing needs, so that packing never touches the build outputs of the running tests.</summary>
    private string CopySources(string root)
    {
        var target = Path.Combine(_work, "source");
        foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props", "README.md", "LICENSE", ".editorconfig" })
        {
            Directory.CreateDirectory(target);
            File.Copy(Path.Combine(root, file), Path.Combine(target, file));
        }

        foreach (var project in new[] { "Hanko.Webhooks", "Hanko.Webhooks.AspNetCore" })
        {
            var from = Path.Combine(root, "src", project);
            foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(from, file);
                if (relative.StartsWith("bin", StringComparison.Ordinal) || relative.StartsWith("obj", StringComparison.Ordinal))
                {
                    continue;
                }

                var destination = Path.Combine(target, "src", project, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                File.Copy(file, destination);
            }
        }

        File.Copy(Path.Combine(root, "src", "Directory.Build.props"), Path.Combine(target, "src", "Directory.Build.props"));
        return target;
    }

    private static async Task<WebApplication> StartJwksServerAsync(FakeHanko hanko, int[] requests)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/.well-known/jwks.json", () =>
        {
            Interlocked.Increment(ref requests[0]);
            return Results.Text(hanko.GetJwksJson(), "application/json");
        });
        await app.StartAsync();
        return app;
    }

    private static async Task WaitForListeningAsync(HttpClient client, Process process, StringBuilder output)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            process.HasExited.Should().BeFalse($"the quick-start app exited early:\n{output}");
            try
            {
                using var response = await client.GetAsync("/webhooks/hanko");
                return; // any answer (405 for GET) means it listens
            }
            catch (HttpRequestException)
            {
                await Task.Delay(200);
            }
        }

        Assert.Fail($"The quick-start app did not start listening:\n{output}");
    }

    private static async Task WaitForAsync(Func<bool> condition, string because)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out: {because}");
            }

            await Task.Delay(100);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Run(string file, string arguments, string directory)
    {
        using var process = Start(file, arguments, directory, null, out var output);
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"`{file} {arguments}` timed out:\n{output}");
        }

        process.WaitForExit();
        process.ExitCode.Should().Be(0, $"`{file} {arguments}` failed:\n{output}");
    }

    private static Process Start(string file, string arguments, string directory, IDictionary<string, string>? environment, out StringBuilder output)
    {
        var info = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        // The test host's own MSBuild settings must not leak into the child builds.
        info.Environment.Remove("MSBuildSDKsPath");
        info.Environment.Remove("MSBUILD_EXE_PATH");
        info.Environment.Remove("MSBuildExtensionsPath");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var buffer = new StringBuilder();
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { lock (buffer) { buffer.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (buffer) { buffer.AppendLine(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        output = buffer;
        return process;
    }
}
