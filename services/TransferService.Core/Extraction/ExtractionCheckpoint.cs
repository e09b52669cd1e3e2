namespace TransferService.Core.Extraction;

/// <summary>What an extraction job has made durable: the frozen item list (<see cref="Rows"/> rows, written into the job's
/// folder) and the first <see cref="ChunksDone"/> chunks of every output file.</summary>
public sealed record ExtractionCheckpoint(int Rows, int ChunksDone);
