namespace TransferService.Tests.Telemetry;

/// <summary>Telemetry tests run alone, after the parallel ones. Every host in this process names its meter
/// "TransferService" and a host's in-memory MeterProvider listens by that name, so it also sees the instruments of
/// the other tests' hosts, which start, record and stop beside it; read while they do, this host's counts were
/// unreliable (seen once in ~10 runs: a queue-wait count of 0; an Embed call missing from the RPC durations). One
/// host per process, as in production, has no such neighbours.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "Telemetry, alone";
}
