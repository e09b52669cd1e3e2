using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Client;

/// <summary>The README's first client example, taken from README.md as it is written (its project file and its
/// program), built in a temporary project against the client project instead of the package, and run against the
/// real server.</summary>
[Collection(ServerCollection.Name)]
public sealed partial class ReadmeClientExampleTests(ServerFixture server) : IDisposable
{
    private const string Section = "## Client package and CLI";
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("readme-example-");

    [Fact]
    public async Task ReadmeExample_AsWritten_CompilesAndEmbedsAgainstTheServer()
    {
        var root = RepositoryRoot();
        var readme = File.ReadAllText(Path.Combine(root, "README.md"));
        var section = readme[readme.IndexOf(Section, StringComparison.Ordinal)..];
        var project = CodeBlock().Matches(section).First(m => m.Groups[1].Value == "xml").Groups[2].Value;
        var program = CodeBlock().Matches(section).First(m => m.Groups[1].Value == "csharp").Groups[2].Value;
        var client = Path.Combine(root, "services", "TransferService.Client", "TransferService.Client.csproj");
        var reference = PackageReference().Replace(project, $"<ProjectReference Include=\"{client}\" />");
        Assert.NotEqual(project, reference);
        File.WriteAllText(Path.Combine(_folder.FullName, "example.csproj"), reference);
        File.WriteAllText(Path.Combine(_folder.FullName, "Program.cs"), program);

        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var build = await RunAsync("dotnet", ["build", "-c", configuration, "-nologo", "-v", "q", "-nodeReuse:false",
            "-p:UseSharedCompilation=false", "-p:BuildProjectReferences=false"], []);
        Assert.True(build.ExitCode == 0, $"the README example does not build:\n{build.Output}");

        var address = server.App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var run = await RunAsync("dotnet", [Path.Combine("bin", configuration, "net10.0", "example.dll")],
            new() { ["TRANSFER_ADDRESS"] = address });
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("2 embeddings of 384 floats", run.Output);
    }

    private async Task<(int ExitCode, string Output)> RunAsync(string file, string[] args, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(file, args)
        {
            WorkingDirectory = _folder.FullName, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "TransferService.sln"))) folder = folder.Parent;
        return folder?.FullName ?? throw new InvalidOperationException("TransferService.sln not found above the test output");
    }

    [GeneratedRegex(@"```(\w+)\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();

    [GeneratedRegex(@"<PackageReference Include=""TransferService.Client""[^>]*/>")]
    private static partial Regex PackageReference();

    public void Dispose() => _folder.Delete(recursive: true);
}
