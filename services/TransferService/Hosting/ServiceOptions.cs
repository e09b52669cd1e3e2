namespace TransferService.Hosting;

public sealed record ServiceOptions
{
    public const string Section = "Service";

    /// <summary>Where the service keeps its state (model repository, later jobs and heads).</summary>
    public string DataFolder { get; init; } = "data";
    /// <summary>Largest request message accepted; larger ones are refused with ResourceExhausted.</summary>
    public int MaxReceiveMessageBytes { get; init; } = 64 * 1024 * 1024;
    /// <summary>EmbedStream items being worked on or waiting to be written, per stream; the server stops
    /// reading the client's stream at this count, so HTTP/2 flow control holds back a fast client.</summary>
    public int StreamWindow { get; init; } = 256;
    /// <summary>How long a stream (EmbedStream, UploadDataset) may go without progress (no message read, no answer taken
    /// by the client) before the server ends it with DeadlineExceeded; an upload ended so stores nothing.</summary>
    public TimeSpan StreamIdleTimeout { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>How long a stop waits for in-flight calls to finish and running jobs to hand their claim back before the
    /// host gives up on them (the host's shutdown timeout). Kubernetes' terminationGracePeriodSeconds should exceed it.</summary>
    public TimeSpan ShutdownGracePeriod { get; init; } = TimeSpan.FromSeconds(30);
}
