namespace TransferService.Core.Extraction;

/// <summary>What an extraction job has made durable: the frozen item list (<see cref="Rows"/> rows, written into the job's
/// folder) and the first <see cref="ChunksDone"/> chunks of every output file. The chunk size is the one the job started
/// with, so a restart with another <see cref="ExtractionOptions.ChunkSize"/> neither drops nor repeats a row.</summary>
public sealed record ExtractionCheckpoint(int Rows, int ChunkSize, int ChunksDone)
{
    public int Chunks => (Rows + ChunkSize - 1) / ChunkSize;
    public int RowsDone => Math.Min(ChunksDone * ChunkSize, Rows);
}
