using Microsoft.Extensions.Options;
using TransferService.Core.Security;

namespace TransferService.Security;

/// <summary>Says at start, loudly, whether callers must present API keys.</summary>
internal sealed class SecurityModeLog(ApiKeyStore keys, IOptions<SecurityOptions> options, ILogger<SecurityModeLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var count = keys.List().Count;
        if (options.Value.RequireApiKeys || count > 0)
            logger.LogInformation("Authentication is on: every call but health needs an API key ({Count} key(s) stored)", count);
        else
            logger.LogWarning("AUTHENTICATION IS OFF: no API key exists, so anyone who reaches this port is the admin of tenant " +
                "'{Tenant}'. Create a key (TransferService keys create --tenant <name> --role admin) or set Security:RequireApiKeys=true " +
                "before exposing the service.", Caller.DefaultTenant);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
