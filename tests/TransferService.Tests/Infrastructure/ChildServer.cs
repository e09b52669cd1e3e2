using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace TransferService.Tests.Infrastructure;

/// <summary>The built service (services/TransferService's bin output, <c>dotnet TransferService.dll</c>) as a child
/// process on a free loopback port, with a data folder and settings, for tests that kill it: <see cref="Kill"/> is
/// kill -9 of its process tree, so nothing in it gets to clean up. Owns the process and the channel.</summary>
public sealed class ChildServer : IAsyncDisposable
{
    private const int OutputLines = 200;
    private readonly Process _process;
    private readonly Queue<string> _output = new();

    private ChildServer(Process process, int port)
    {
        _process = process;
        Channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
    }

    public GrpcChannel Channel { get; }

    /// <summary>The last lines the process wrote (stdout and stderr), for a failing test's message.</summary>
    public string OutputTail
    {
        get { lock (_output) return string.Join('\n', _output); }
    }

    /// <summary>Starts the service and waits until its health says SERVING.</summary>
    public static async Task<ChildServer> StartAsync(string dataFolder, IDictionary<string, string?> settings, TimeSpan? timeout = null)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(ServiceAssembly());
        var arguments = new Dictionary<string, string?>(settings)
        {
            ["urls"] = $"http://127.0.0.1:{port}",
            ["Service:DataFolder"] = dataFolder,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in arguments) start.ArgumentList.Add($"--{key}={value}");
        var child = new ChildServer(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"), port);
        child._process.OutputDataReceived += (_, e) => child.Keep(e.Data);
        child._process.ErrorDataReceived += (_, e) => child.Keep(e.Data);
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        try
        {
            await child.WaitUntilServingAsync(timeout ?? TimeSpan.FromSeconds(60));
            return child;
        }
        catch
        {
            await child.DisposeAsync();
            throw;
        }
    }

    /// <summary>kill -9 of the service and anything it started; returns once it is gone.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    private async Task WaitUntilServingAsync(TimeSpan timeout)
    {
        var health = new Health.HealthClient(Channel);
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"the service exited with {_process.ExitCode}:\n{OutputTail}");
            try
            {
                var reply = await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(2));
                if (reply.Status == HealthCheckResponse.Types.ServingStatus.Serving) return;
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
            {
                // Not listening yet.
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"the service did not report SERVING within {timeout}:\n{OutputTail}");
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > OutputLines) _output.Dequeue();
        }
    }

    /// <summary>The service as built next to these tests: services/TransferService/bin/&lt;configuration&gt;/&lt;framework&gt;.</summary>
    private static string ServiceAssembly()
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var (framework, configuration) = (testOutput.Name, testOutput.Parent!.Name);
        var root = testOutput;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "TransferService.sln"))) root = root.Parent;
        var assembly = Path.Combine(root?.FullName ?? throw new InvalidOperationException("TransferService.sln not found above the test output"),
            "services", "TransferService", "bin", configuration, framework, "TransferService.dll");
        return File.Exists(assembly) ? assembly : throw new FileNotFoundException("build the service first", assembly);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
