using TransferService.Core.Jobs;

namespace TransferService.Core.Extraction;

/// <summary>Progress of one run of an extraction job: rows done of the total, the rate since this run started (rows
/// done by an earlier run took no time here), and the seconds left at that rate.</summary>
public sealed class ExtractionRate(TimeProvider time, int total, int doneAtStart)
{
    private readonly long _start = time.GetTimestamp();

    public JobProgress After(int done)
    {
        var seconds = time.GetElapsedTime(_start).TotalSeconds;
        var rate = seconds > 0 ? (done - doneAtStart) / seconds : 0;
        return new JobProgress("extracting", total == 0 ? 1 : (double)done / total, ItemsDone: done, ItemsTotal: total,
            ItemsPerSecond: rate, EtaSeconds: rate > 0 ? (total - done) / rate : 0);
    }
}
