namespace TransferService.Benchmarks.Measuring;

/// <summary>One interleaved round at low load: bare b1 then one service caller, seconds apart, so the machine's drift
/// between rows does not enter the difference.</summary>
internal sealed record LatencyPair(double BareP50Ms, double ServiceP50Ms, double ServiceP99Ms, double ItemsRatio);

/// <summary>The low-load rounds of one model.</summary>
internal sealed record LatencyPairs(string Model, IReadOnlyList<LatencyPair> Rounds)
{
    public double BareP50Ms => Medians.Of(Rounds.Select(r => r.BareP50Ms));
    public double ServiceP50Ms => Medians.Of(Rounds.Select(r => r.ServiceP50Ms));
    public double ServiceP99Ms => Medians.Of(Rounds.Select(r => r.ServiceP99Ms));
    /// <summary>Median over rounds of the service's p50 minus bare's in the same round.</summary>
    public double ExtraP50Ms => Medians.Of(Rounds.Select(r => r.ServiceP50Ms - r.BareP50Ms));
    public double ItemsRatio => Medians.Of(Rounds.Select(r => r.ItemsRatio));
}
