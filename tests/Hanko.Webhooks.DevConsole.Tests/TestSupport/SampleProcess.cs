using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Hanko.Webhooks.DevConsole.Tests;

/// <summary>The sample app as a real process (dotnet Hanko.Webhooks.Sample.dll) on a free loopback port, in a given environment.</summary>
internal sealed partial class SampleProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<string> _consoleUrl = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SampleProcess(string environment)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Hanko.Webhooks.Sample.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll, "--urls", "http://127.0.0.1:0" },
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        start.Environment["DOTNET_ENVIRONMENT"] = environment;
        start.Environment["Logging__Console__FormatterName"] = "simple";
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static SampleProcess Start(string environment) => new(environment);

    /// <summary>The console URL the sample printed at start.</summary>
    public Task<string> ConsoleUrl(TimeSpan timeout) => _consoleUrl.Task.WaitAsync(timeout);

    /// <summary>The address Kestrel printed ("Now listening on").</summary>
    public Task<string> Listening(TimeSpan timeout) => _listening.Task.WaitAsync(timeout);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (ConsoleLine().Match(line) is { Success: true } console)
        {
            _consoleUrl.TrySetResult(console.Groups["url"].Value);
        }

        if (ListeningLine().Match(line) is { Success: true } listening)
        {
            _listening.TrySetResult(listening.Groups["url"].Value);
        }
    }

    [GeneratedRegex(@"development console: (?<url>http://127\.0\.0\.1:\d+/_hanko)")]
    private static partial Regex ConsoleLine();

    [GeneratedRegex(@"Now listening on: (?<url>http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();
}
