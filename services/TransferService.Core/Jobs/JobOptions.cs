namespace TransferService.Core.Jobs;

/// <summary>What one job may cost and how many one tenant may have waiting. The training limits are checked when
/// a job is submitted (so a request that could run for hours or exhaust memory fails the call); the duration is
/// enforced while it runs. Defaults allow every documented example and refuse, e.g., four hidden layers of 8192.</summary>
public sealed record JobOptions
{
    public const string Section = "Jobs";

    /// <summary>Most trainable parameters of one head (weights and biases of every layer).</summary>
    public long MaxHeadParameters { get; init; } = 50_000_000;

    /// <summary>Most optimizer steps of one training run: epochs × batches per epoch, or max_steps when lower.</summary>
    public long MaxTrainingSteps { get; init; } = 2_000_000;

    /// <summary>Most memory one training run may hold: parameters, optimizer state, activations, embeddings.</summary>
    public long MaxTrainingBytes { get; init; } = 2L << 30;

    /// <summary>A job still running after this long is stopped and fails with RESOURCE_EXHAUSTED.</summary>
    public TimeSpan MaxDuration { get; init; } = TimeSpan.FromHours(2);

    /// <summary>Most jobs one tenant may have queued or running at once; more are refused with RESOURCE_EXHAUSTED.</summary>
    public int MaxActivePerTenant { get; init; } = 8;
}
