using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using TransferService.Cli;

namespace TransferService.Tests.Infrastructure;

/// <summary>The <c>transfer</c> command run in-process through its real entry point against a server, with its
/// console and error output captured.</summary>
public sealed record CliRun(int ExitCode, string Output, string Error)
{
    public static async Task<CliRun> RunAsync(WebApplication server, params string[] args)
    {
        var address = server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return await RunAsync([.. args, "--address", address]);
    }

    public static async Task<CliRun> RunAsync(string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(args, output, error, interactive: false);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    /// <summary>Fails with everything the command printed unless it exited 0.</summary>
    public CliRun Succeeded()
    {
        Assert.True(ExitCode == 0, $"exit code {ExitCode}\n{Output}\n{Error}");
        return this;
    }
}
