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

    /// <summary>Writes the texts and their labels as a CSV in <paramref name="folder"/>, uploads it with <c>datasets
    /// upload</c> and returns the new dataset's id.</summary>
    public static async Task<string> UploadTextsAsync(WebApplication server, string folder, string name, IEnumerable<(string Text, string Label)> rows)
    {
        var csv = Path.Combine(folder, name + ".csv");
        await File.WriteAllLinesAsync(csv, ["text,label", .. rows.Select(r => $"\"{r.Text.Replace("\"", "\"\"")}\",{r.Label}")]);
        var upload = (await RunAsync(server, "datasets", "upload", csv, "--name", name)).Succeeded();
        var id = System.Text.RegularExpressions.Regex.Match(upload.Output, $@"dataset (\S+) '{name}'").Groups[1].Value;
        Assert.True(id.Length > 0, upload.Output);
        return id;
    }

    /// <summary>Fails with everything the command printed unless it exited 0.</summary>
    public CliRun Succeeded()
    {
        Assert.True(ExitCode == 0, $"exit code {ExitCode}\n{Output}\n{Error}");
        return this;
    }
}
