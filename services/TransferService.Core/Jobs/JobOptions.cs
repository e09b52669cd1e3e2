namespace TransferService.Core.Jobs;

/// <summary>What one job may cost and how many one tenant may have waiting. The training limits are checked when
/// a job is submitted (so a request that could run for hours or exhaust memory fails the call); the duration is
/// enforced while it runs. The rest sizes the runner: workers, leases, attempts and backoff. Defaults allow every documented example and refuse, e.g., four hidden layers of 8192.</summary>
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

    /// <summary>Jobs this process runs at once (each on its own worker).</summary>
    public int MaxConcurrent { get; init; } = 2;

    /// <summary>How long a claim holds without a heartbeat; a job whose owner stops heartbeating is taken over after it.
    /// (A restart on the same data folder does not wait for it: see the job store.)</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a running job extends its lease (well under <see cref="LeaseDuration"/>).</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Runs one job may start: a job whose runs keep ending in a crash or an internal error fails after this many.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Wait before the second run after an internal error; doubled for each further one.</summary>
    public TimeSpan RetryBackoff { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often an idle worker looks for work it was not told about (a retry coming due, another replica's
    /// expired lease); a submission in this process wakes a worker at once.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Progress is written to the store at most this often (watchers in this process see every report at once).</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(1);
}
