namespace TransferService.HealthProbe;

/// <summary>What to probe: the address, the grpc.health.v1 service name ("" = the whole server) and how long to wait.</summary>
public sealed record ProbeTarget(Uri Address, string Service, TimeSpan Timeout)
{
    public const string DefaultAddress = "http://localhost:50051";
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    /// <summary><c>[--address URL] [--service NAME] [--timeout SECONDS]</c>. Without an address, the port of the
    /// service's own first listening URL (ASPNETCORE_URLS, as the image sets it) on localhost, so changing the port
    /// in one place moves the probe with it.</summary>
    public static ProbeTarget Parse(IReadOnlyList<string> args, string? listeningUrls)
    {
        string? address = null, service = null, timeout = null;
        for (var i = 0; i < args.Count; i += 2)
        {
            if (args[i] is not ("--address" or "--service" or "--timeout")) throw new ArgumentException($"unknown option {args[i]}");
            if (i + 1 == args.Count) throw new ArgumentException($"option {args[i]} needs a value");
            switch (args[i])
            {
                case "--address": address = args[i + 1]; break;
                case "--service": service = args[i + 1]; break;
                default: timeout = args[i + 1]; break;
            }
        }
        return new ProbeTarget(
            new Uri(address ?? LocalAddressOf(listeningUrls)),
            service ?? "",
            timeout is null ? DefaultTimeout : TimeSpan.FromSeconds(double.Parse(timeout, System.Globalization.CultureInfo.InvariantCulture)));
    }

    private static string LocalAddressOf(string? listeningUrls)
    {
        var first = listeningUrls?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        if (first is null) return DefaultAddress;
        // "+", "*", "0.0.0.0" and "[::]" are wildcards Uri cannot all parse; the port is all that matters here.
        var scheme = first.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? "https" : "http";
        var port = first[(first.LastIndexOf(':') + 1)..].TrimEnd('/');
        return int.TryParse(port, out var number) ? $"{scheme}://localhost:{number}" : DefaultAddress;
    }
}
