using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Hanko.Webhooks.Redis.Internal;

/// <summary>
/// At start, warns (log id 320) when a project's durable processing runs outside Development with a Data Protection key
/// ring that is stored unencrypted (no <see cref="KeyManagementOptions.XmlEncryptor"/>): the stored deliveries are only as
/// secret as the keys that protect them, and those usually lie in the same Redis.
/// </summary>
internal sealed class KeyRingCheck(IOptions<KeyManagementOptions> keyManagement, IHostEnvironment? environment, ILogger logger, string? project) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (keyManagement.Value.XmlEncryptor is null && environment?.IsDevelopment() != true)
        {
            Log.KeyRingNotEncrypted(logger, project ?? "(unnamed)");
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
