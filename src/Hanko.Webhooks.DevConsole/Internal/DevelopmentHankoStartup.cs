using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hanko.Webhooks.DevConsole.Internal;

/// <summary>Says at start what <c>UseDevelopmentHanko()</c> did, and why.</summary>
internal sealed class DevelopmentHankoStartup(HankoDevelopmentHanko local, ILoggerFactory loggers) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(Log.Category);
        if (local.CanSign)
        {
            Log.LocalHanko(logger, local.Reason);
        }
        else
        {
            Log.NotSigning(logger, local.Reason);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
