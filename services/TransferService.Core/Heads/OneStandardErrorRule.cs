namespace TransferService.Core.Heads;

/// <summary>The one-standard-error rule between a simpler head and a more complex one that scored a lower validation
/// loss: on a split of a few hundred rows, a difference in mean loss smaller than its own standard error is noise, and
/// the simpler head is the safer choice (it generalises at least as well, and trains and serves for less). The error is
/// that of the paired per-row differences: both heads are scored on the same rows, so what the rows share cancels.</summary>
public static class OneStandardErrorRule
{
    /// <summary>True when the simpler head's mean loss is above the other's by no more than one standard error of the
    /// mean paired difference (or below it). False with fewer than two rows: nothing to estimate the error from.</summary>
    public static bool SimplerIsWithin(double[] simpler, double[] better)
    {
        if (simpler.Length != better.Length) throw new ArgumentException("both heads must be scored on the same rows", nameof(better));
        var n = simpler.Length;
        if (n < 2) return false;
        var mean = 0.0;
        for (var i = 0; i < n; i++) mean += simpler[i] - better[i];
        mean /= n;
        var squares = 0.0;
        for (var i = 0; i < n; i++) squares += Math.Pow(simpler[i] - better[i] - mean, 2);
        var standardError = Math.Sqrt(squares / (n - 1) / n);
        return mean <= standardError;
    }
}
