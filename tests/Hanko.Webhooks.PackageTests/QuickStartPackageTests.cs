using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using FluentAssertions;
using Hanko.Webhooks.Testing;
using Hanko.Webhooks.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using NUnit.Framework;

namespace Hanko.Webhooks.PackageTests;

/// <summary>
/// A newcomer's first hour, with the README in hand and an <b>empty NuGet cache</b>: the README's "Try a local build" packs
/// the libraries into a folder and adds it to the machine's own package sources with the README's <c>nuget.config</c>;
/// then the README's own commands install the packages into fresh <c>dotnet new</c> projects: the quick start (built, run,
/// posted to), the worked NUnit example (built and run), every other C# block of the READMEs (built), and a net8.0 app
/// (restored, to see which dependency versions it is handed).
/// </summary>
[NonParallelizable]
public sealed partial class QuickStartPackageTests
{
    private static readonly string[] Packages = ["Hanko.Webhooks", "Hanko.Webhooks.AspNetCore", "Hanko.Webhooks.Testing", "Hanko.Webhooks.DevConsole", "Hanko.Webhooks.Redis", "Hanko.Webhooks.Subscriptions"];

    private string _root = null!;
    private string _work = null!;
    private string _feed = null!;
    private string _version = null!;
    private Dictionary<string, string> _environment = null!;

    [OneTimeSetUp]
    public void PackAsTheReadmeSays()
    {
        _root = MarkdownCodeBlocks.RepositoryRoot(TestContext.CurrentContext.TestDirectory);
        _work = Directory.CreateTempSubdirectory("hanko-pkgtest-").FullName;
        _version = XDocument.Load(Path.Combine(_root, "Directory.Build.props")).Descendants("Version").Single().Value;
        // An empty global packages folder: every package, ours and their dependencies, comes from the feeds.
        var cache = Directory.CreateDirectory(Path.Combine(_work, "nuget-packages")).FullName;
        _environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = cache };

        var pack = ReadmeBlock("<!-- local-build:pack -->").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        pack[0].Should().StartWith("git clone ").And.EndWith("/hanko-webhooks-dotnet");
        CopySources(Path.Combine(_work, "hanko-webhooks-dotnet")); // what the clone would hold
        foreach (var command in pack.Skip(1))
        {
            command.Should().StartWith("dotnet pack ");
            Run(command, _work);
        }

        _feed = Path.Combine(_work, "hanko-packages");
        Directory.GetFiles(_feed, "*.nupkg").Select(Path.GetFileName).Should().BeEquivalentTo(Packages.Select(p => $"{p}.{_version}.nupkg"));
        Directory.GetFiles(_feed, "*.snupkg").Should().HaveCount(Packages.Length, "symbols are packed next to each package");
        Directory.GetFiles(cache).Should().BeEmpty("packing fills only the package folders");
    }

    [OneTimeTearDown]
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
    public async Task ReadmeQuickStart_InstalledWithTheReadmesCommand_BuildsRunsHandlesASignedDelivery_AndLogsOnlyTheSdksJwksLine()
    {
        var app = NewProject("web", "MyApp");
        Run(ReadmeBlock("<!-- quickstart:command -->").Trim(), app);
        File.ReadAllText(Path.Combine(app, "MyApp.csproj")).Should().Contain($"<PackageReference Include=\"Hanko.Webhooks.AspNetCore\" Version=\"{_version}\" />");
        await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), ReadmeBlock("<!-- quickstart:begin -->"));
        Run("dotnet build -c Release", app);
        var dll = Path.Combine(app, "bin", "Release", "net10.0", "MyApp.dll");

        using var hanko = new FakeHanko(new FakeHankoOptions { Audience = "quickstart.example" });
        var jwksRequests = new int[1];
        await using var jwks = await StartJwksServerAsync(hanko, jwksRequests);
        var port = FreePort();
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
            await WaitForAsync(() => Text(output).Contains("login mail to send", StringComparison.Ordinal), "the README's handler logs the mail it would send");
            Volatile.Read(ref jwksRequests[0]).Should().Be(1, "the app fetched the JWKS once, at start");
            Text(output).Should().Contain("Fetched 1 Hanko signing key(s) from", "the SDK's own line says the JWKS was fetched")
                .And.NotContain("System.Net.Http.HttpClient.Hanko.Webhooks.Jwks", "the named client's default request logging is off");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        // A configuration mistake: the host does not start, and says what to set (not a stack trace out of MapHankoWebhooks).
        using var misconfigured = Start("dotnet", $"\"{dll}\"", app, new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{FreePort()}",
            ["Hanko__Webhooks__TenantId"] = "my-project",
            ["Hanko__Webhooks__ApiUrl"] = "https://auth.example.com",
        }, out var error);
        misconfigured.WaitForExit(TimeSpan.FromSeconds(60)).Should().BeTrue(Text(error));
        misconfigured.WaitForExit();
        misconfigured.ExitCode.Should().NotBe(0);
        Text(error).Should().Contain("Hosting failed to start")
            .And.Contain("Set only one of Hanko:Webhooks:TenantId, ApiUrl and JwksUrl; found TenantId and ApiUrl.")
            .And.NotContain("HankoWebhookEndpointRouteBuilderExtensions", "MapHankoWebhooks reads no options")
            .And.NotContain("Now listening on", "the host stops before it listens");
    }

    [Test]
    public void ReadmeTestingExample_InAFreshNUnitProjectWithTheReadmesOnePackage_BuildsAndPasses()
    {
        var tests = NewProject("nunit", "WelcomeTests");
        Run(ReadmeBlock("<!-- testing:command -->").Trim(), tests);
        File.WriteAllText(Path.Combine(tests, "WelcomeNewUsersTests.cs"), ReadmeBlock("<!-- testing-example:begin -->"));

        var output = Run("dotnet test --filter FullyQualifiedName~WelcomeNewUsersTests", tests);

        output.Should().MatchRegex(@"Failed:\s+0, Passed:\s+2, Skipped:\s+0, Total:\s+2", "both tests of the README's example run and pass");
    }

    [TestCase("nunit", "<!-- devconsole-recipe:begin -->")]
    [TestCase("xunit", "<!-- factory-xunit:begin -->")]
    public void ReadmeWebApplicationFactoryRecipe_InAFreshTestProject_BuildsAndPassesAgainstTheQuickStartWithTheLocalHanko(string template, string recipe)
    {
        // The app: the quick start, with the dev console's package and UseDevelopmentHanko() as the README's console section adds
        // them; in a folder of its own, beside the test projects (the README's ../MyApp), apart from the quick start test's app.
        var folder = Directory.CreateDirectory(Path.Combine(_work, "factory")).FullName;
        var feed = Directory.CreateDirectory(Path.Combine(folder, "hanko-packages")).FullName; // the README's nuget.config: ../hanko-packages
        foreach (var package in Directory.GetFiles(_feed))
        {
            File.Copy(package, Path.Combine(feed, Path.GetFileName(package)), overwrite: true);
        }

        var app = Path.Combine(folder, "MyApp");
        if (!File.Exists(Path.Combine(app, "MyApp.csproj")))
        {
            app = NewProject("web", "MyApp", folder);
            Run(ReadmeBlock("<!-- quickstart:command -->").Trim(), app);
            Run($"dotnet add package Hanko.Webhooks.DevConsole --version {_version}", app);
            var program = ReadmeBlock("<!-- quickstart:begin -->");
            program.Should().Contain("AddHankoWebhooks()");
            File.WriteAllText(Path.Combine(app, "Program.cs"), program.Replace("AddHankoWebhooks()", "AddHankoWebhooks().UseDevelopmentHanko()", StringComparison.Ordinal));
        }

        var tests = NewProject(template, "MyApp." + template, folder);
        foreach (var command in ReadmeBlock("<!-- factory:command -->").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Run(command.Trim(), tests);
        }

        File.ReadAllText(Path.Combine(tests, $"MyApp.{template}.csproj")).Should().Contain("Include=\"Microsoft.AspNetCore.Mvc.Testing\" Version=\"10.0.", "the README pins the version of the target framework");
        File.WriteAllText(Path.Combine(tests, "WebhookEndpointTests.cs"), ReadmeBlock(recipe));

        var output = Run("dotnet test --filter FullyQualifiedName~WebhookEndpointTests", tests);

        output.Should().MatchRegex(@"Failed:\s+0, Passed:\s+1, Skipped:\s+0, Total:\s+1", "the README's recipe runs and passes as written");
    }

    [Test]
    public void EveryOtherCSharpBlockOfTheReadmes_BuildsAgainstThePackedPackages()
    {
        var blocks = MarkdownCodeBlocks.DocumentedFiles(_root).SelectMany(MarkdownCodeBlocks.Read)
            .Where(b => b.Language == "csharp" && b.SnippetKind is "web" or "receiver" or "testing")
            .ToList();
        blocks.Should().HaveCountGreaterThanOrEqualTo(7);
        var project = Directory.CreateDirectory(Path.Combine(_work, "Snippets")).FullName;
        WriteNuGetConfig(project);
        var extra = blocks.SelectMany(b => b.Packages).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        File.WriteAllText(Path.Combine(project, "Snippets.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <OutputType>Library</OutputType>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <NoWarn>$(NoWarn);CS1998;CS0162</NoWarn>
              </PropertyGroup>
              <ItemGroup>
                <Using Include="Hanko.Webhooks" />
                <Using Include="Hanko.Webhooks.Testing" />
                <PackageReference Include="Hanko.Webhooks.AspNetCore" Version="{_version}" />
                <PackageReference Include="Hanko.Webhooks.Testing" Version="{_version}" />
            {string.Concat(extra.Select(p => $"    <PackageReference Include=\"{p}\" Version=\"{(Packages.Contains(p) ? _version : VersionOf(p))}\" />\n"))}  </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(project, "Support.cs"), """
            /// <summary>The handler the snippets register.</summary>
            public sealed class MyHandler : IHankoEventHandler<HankoEvent>
            {
                public Task HandleAsync(HankoEvent @event, CancellationToken cancellationToken) => Task.CompletedTask;
            }

            /// <summary>The handlers the README names elsewhere (the quick start's, the sample's), which snippets register too.</summary>
            public sealed class SendPasscodeEmail : IHankoEventHandler<EmailSendEvent>
            {
                public Task HandleAsync(EmailSendEvent @event, CancellationToken cancellationToken) => Task.CompletedTask;
            }

            public sealed class UserDirectorySync : IHankoEventHandler<UserEvent>
            {
                public Task HandleAsync(UserEvent @event, CancellationToken cancellationToken) => Task.CompletedTask;
            }

            public sealed class SyncUsers : IHankoEventHandler<UserEvent>
            {
                public Task HandleAsync(UserEvent @event, CancellationToken cancellationToken) => Task.CompletedTask;
            }

            public sealed class UserCatchUpSync : IHankoEventHandler<UserCatchUpEvent>
            {
                public Task HandleAsync(UserCatchUpEvent @event, CancellationToken cancellationToken) => Task.CompletedTask;
            }

            """);
        for (var i = 0; i < blocks.Count; i++)
        {
            var block = blocks[i];
            var source = Path.GetRelativePath(_root, block.File).Replace('\\', '/');
            var body = $"#line {block.Line + 1} \"{source}\"\n{block.Code}#line default\n";
            var code = block.SnippetKind switch
            {
                "web" => $$"""
                    internal static class Snippet{{i}}
                    {
                        internal static async Task RunAsync(WebApplicationBuilder builder, WebApplication app)
                        {
                            await Task.CompletedTask;
                    {{body}}
                        }
                    }
                    """,
                "receiver" => $$"""
                    internal static class Snippet{{i}}
                    {
                        internal static async Task<string> RunAsync(IServiceCollection services, IHankoWebhookReceiver receiver, IHankoWebhookVerifier verifier, IHankoEventDispatcher dispatcher, ReadOnlyMemory<byte> bodyBytes, CancellationToken ct)
                        {
                            await Task.CompletedTask;
                    {{body}}
                            return "done";
                        }
                    }
                    """,
                _ => $$"""
                    internal static class Snippet{{i}}
                    {
                        internal static async Task RunAsync(IServiceCollection services, IHankoWebhookVerifier verifier)
                        {
                            await Task.CompletedTask;
                    {{body}}
                        }
                    }
                    """,
            };
            File.WriteAllText(Path.Combine(project, $"Snippet{i}.cs"), string.Concat(block.Usings.Select(u => $"using {u};\n")) + code);
        }

        Run("dotnet build", project);
    }

    [Test]
    public void Net8App_IsHandedNoMicrosoftExtensionsPackageNewerThan8()
    {
        var dependencies = Packages.SelectMany(package => Nuspec(package).Descendants().Single(e => e.Name.LocalName == "dependencies").Elements()
                .Single(e => (string?)e.Attribute("targetFramework") == "net8.0").Elements()
                .Select(d => (Package: package, Id: (string)d.Attribute("id")!, Version: (string)d.Attribute("version")!)))
            .ToList();
        dependencies.Where(d => d.Id.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal))
            .Should().HaveCountGreaterThan(5).And.OnlyContain(d => d.Version.StartsWith("8.", StringComparison.Ordinal), $"the net8.0 dependencies are the .NET 8 versions: {string.Join(", ", dependencies)}");
        dependencies.Should().NotContain(d => d.Id == "Microsoft.Extensions.Configuration.Binder", "the packages bind their options without the configuration binder");

        var app = NewProject("classlib", "Net8App"); // the templates offer net10.0 only; an app that stays on .NET 8 says so
        var csproj = Path.Combine(app, "Net8App.csproj");
        File.WriteAllText(csproj, File.ReadAllText(csproj).Replace("<TargetFramework>net10.0</TargetFramework>", "<TargetFramework>net8.0</TargetFramework>", StringComparison.Ordinal));
        File.ReadAllText(csproj).Should().Contain("<TargetFramework>net8.0</TargetFramework>");
        Run(ReadmeBlock("<!-- quickstart:command -->").Trim(), app);

        using var assets = JsonDocument.Parse(File.ReadAllText(Path.Combine(app, "obj", "project.assets.json")));
        var libraries = assets.RootElement.GetProperty("libraries").EnumerateObject().Select(p => p.Name).ToList();
        libraries.Should().Contain($"Hanko.Webhooks.AspNetCore/{_version}").And.Contain($"Hanko.Webhooks/{_version}");
        libraries.Where(l => l.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal))
            .Should().NotBeEmpty().And.OnlyContain(l => l.Contains("/8.", StringComparison.Ordinal), "a .NET 8 app keeps the .NET 8 versions of Microsoft.Extensions.*");
        libraries.Should().Contain(l => l.StartsWith("Microsoft.Extensions.Configuration.Binder/8.", StringComparison.Ordinal));
    }

    [Test]
    public void EachPackage_CarriesItsOwnShortReadme_TheIcon_AndReleaseNotes()
    {
        var releaseNotes = File.ReadAllText(Path.Combine(_root, "src", "RELEASE-NOTES.txt")).Trim();
        var icon = File.ReadAllBytes(Path.Combine(_root, "src", "icon.png"));
        foreach (var package in Packages)
        {
            using var zip = ZipFile.OpenRead(Path.Combine(_feed, $"{package}.{_version}.nupkg"));
            var metadata = Nuspec(package).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
            string? Meta(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;

            Meta("readme").Should().Be("README.md");
            Meta("icon").Should().Be("icon.png");
            Meta("releaseNotes").Should().Be(releaseNotes);
            var readme = ReadEntry(zip, "README.md");
            readme.Should().Be(File.ReadAllText(Path.Combine(_root, "src", package, "PACKAGE.md")), $"{package} ships its own README");
            readme.Should().StartWith($"# {package}\n").And.Contain("https://github.com/hanko-webhooks/hanko-webhooks-dotnet")
                .And.NotContain("BENCHMARKS.md").And.NotContain("dotnet test");
            RelativeLink().Matches(readme).Select(m => m.Value).Should().BeEmpty($"{package}'s README is shown on nuget.org, where a relative link is broken");
            using var iconStream = zip.GetEntry("icon.png")!.Open();
            using var iconBytes = new MemoryStream();
            iconStream.CopyTo(iconBytes);
            iconBytes.ToArray().Should().Equal(icon);
        }

        using (var core = ZipFile.OpenRead(Path.Combine(_feed, $"Hanko.Webhooks.{_version}.nupkg")))
        {
            core.Entries.Where(e => e.FullName.StartsWith("contentFiles/any/any/schemas/", StringComparison.Ordinal)).Select(e => e.Name)
                .Should().BeEquivalentTo(Directory.GetFiles(Path.Combine(_root, "schemas")).Select(Path.GetFileName), "the core package ships the published schemas as content files");
        }

        ReadEntry(ZipFile.OpenRead(Path.Combine(_feed, $"Hanko.Webhooks.Testing.{_version}.nupkg")), "Hanko.Webhooks.Testing.nuspec")
            .Should().Contain($"<dependency id=\"Hanko.Webhooks\" version=\"{_version}\"", "the test kit brings the SDK it is a kit for");
    }

    [Test]
    public void ReadmeQuickStart_IsTheThreeLinesOfTheBrief()
    {
        var quickStart = ReadmeBlock("<!-- quickstart:begin -->");

        quickStart.Should().Contain("builder.Services.AddHankoWebhooks().AddHandler<SendPasscodeEmail>();");
        quickStart.Should().Contain("app.MapHankoWebhooks(\"/webhooks/hanko\");");
        quickStart.Should().Contain("IHankoEventHandler<EmailSendEvent>");
    }

    [Test]
    public void ReadmeProductionProgram_InAFreshWebProjectWithTheReadmesPackages_Builds()
    {
        var app = NewProject("web", "MyProductionApp");
        foreach (var command in ReadmeBlock("<!-- production-program:command -->").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            command.Should().StartWith("dotnet add package ");
            Run(command.Trim(), app);
        }

        File.WriteAllText(Path.Combine(app, "Program.cs"), ReadmeBlock("<!-- production-program:begin -->"));

        Run("dotnet build -c Release", app); // warnings as the template sets them; the core tests run the same code on Redis
    }

    [GeneratedRegex(@"\]\((?!https://)[^)]*\)|(?:src|href)=""(?!https://)[^""]*""")]
    private static partial Regex RelativeLink();

    /// <summary>The code block with that marker, in the README or the guide in docs/ that holds it.</summary>
    private string ReadmeBlock(string marker) => MarkdownCodeBlocks.Marked(_root, marker).Code;

    /// <summary>A new project from a <c>dotnet new</c> template, with the README's <c>nuget.config</c> beside it.</summary>
    private string NewProject(string template, string name, string? parent = null)
    {
        var directory = Path.Combine(parent ?? _work, name);
        Run($"dotnet new {template} -n {name} -o \"{directory}\" --framework net10.0", _work);
        WriteNuGetConfig(directory);
        return directory;
    }

    /// <summary>The README's nuget.config as it is: it adds ../hanko-packages to the machine's own package sources.</summary>
    private void WriteNuGetConfig(string directory) =>
        File.WriteAllText(Path.Combine(directory, "nuget.config"), ReadmeBlock("<!-- local-build:nuget.config -->"));

    private XDocument Nuspec(string package)
    {
        using var zip = ZipFile.OpenRead(Path.Combine(_feed, $"{package}.{_version}.nupkg"));
        return XDocument.Parse(ReadEntry(zip, package + ".nuspec"));
    }

    private static string ReadEntry(ZipArchive zip, string name)
    {
        using var reader = new StreamReader(zip.GetEntry(name)!.Open());
        return reader.ReadToEnd();
    }

    /// <summary>The version the repository pins for a package a snippet needs, else the newest.</summary>
    private string VersionOf(string package) =>
        XDocument.Load(Path.Combine(_root, "Directory.Packages.props")).Descendants("PackageVersion")
            .FirstOrDefault(p => (string?)p.Attribute("Include") == package)?.Attribute("Version")?.Value ?? "*";

    /// <summary>Copies what packing needs, so that packing never touches the build outputs of the running tests.</summary>
    private void CopySources(string target)
    {
        Directory.CreateDirectory(Path.Combine(target, "src"));
        foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props", "README.md", "LICENSE", ".editorconfig" })
        {
            File.Copy(Path.Combine(_root, file), Path.Combine(target, file));
        }

        foreach (var file in Directory.GetFiles(Path.Combine(_root, "src")))
        {
            File.Copy(file, Path.Combine(target, "src", Path.GetFileName(file)));
        }

        foreach (var project in Packages)
        {
            var from = Path.Combine(_root, "src", project);
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

        // The published schemas, which the core package carries as content files.
        Directory.CreateDirectory(Path.Combine(target, "schemas"));
        foreach (var file in Directory.GetFiles(Path.Combine(_root, "schemas")))
        {
            File.Copy(file, Path.Combine(target, "schemas", Path.GetFileName(file)));
        }
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
            process.HasExited.Should().BeFalse($"the quick-start app exited early:\n{Text(output)}");
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

        Assert.Fail($"The quick-start app did not start listening:\n{Text(output)}");
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

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    /// <summary>Runs a README command line (<c>dotnet …</c>, no quoting beyond what <see cref="ProcessStartInfo"/> parses) on the empty cache.</summary>
    private string Run(string commandLine, string directory)
    {
        var space = commandLine.IndexOf(' ', StringComparison.Ordinal);
        var (file, arguments) = (commandLine[..space], commandLine[(space + 1)..]);
        using var process = Start(file, arguments, directory, _environment, out var output);
        if (!process.WaitForExit(TimeSpan.FromMinutes(8)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"`{commandLine}` timed out:\n{Text(output)}");
        }

        process.WaitForExit();
        process.ExitCode.Should().Be(0, $"`{commandLine}` in {directory} failed:\n{Text(output)}");
        return Text(output);
    }

    private Process Start(string file, string arguments, string directory, IDictionary<string, string> environment, out StringBuilder output)
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
        foreach (var (key, value) in _environment.Concat(environment))
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
