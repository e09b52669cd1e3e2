using Microsoft.Extensions.Logging.Abstractions;
using TransferService.Core.Heads;
using TransferService.Core.Jobs;
using TransferService.Core.Scheduling;
using TransferService.Onnx.Training;

namespace TransferService.Onnx.Tests.Training;

/// <summary>Real training on a lane of its own whose scheduler cuts it into slices of four steps: other work gets the
/// lane between slices, and a cancelled run leaves it.</summary>
public sealed class TrainingSlicesTests : IAsyncLifetime
{
    private static readonly TrainingData Train = Blobs.Make(perClass: 40, seed: 1);
    private static readonly TrainingData Validation = Blobs.Make(perClass: 20, seed: 2);
    // 120 rows in batches of 16: 8 steps, two slices, and a validation slice per epoch.
    private static readonly TrainingConfig Long = new() { Epochs = 150, BatchSize = 16, LearningRate = 0.01f, Seed = 5 };

    private readonly LaneSchedulers _schedulers = new(["cpu"], new SchedulingOptions { TrainingSliceSteps = 4 }, TimeSpan.Zero,
        TimeProvider.System, NullLoggerFactory.Instance);
    private readonly TaskCompletionSource _secondEpoch = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _epochs;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _schedulers.DisposeAsync();

    private Task<HeadTrainingResult> StartTraining(CancellationToken cancellation)
    {
        var runtime = new OnnxHeadRuntime(TestLanes.Lanes, _schedulers);
        var progress = new SyncProgress<EpochMetrics>(m =>
        {
            Volatile.Write(ref _epochs, m.Epoch);
            if (m.Epoch == 2) _secondEpoch.TrySetResult();
        });
        return Task.Run(() => runtime.Train(Train, Validation, Blobs.Classes, Long, "cpu", new WorkTag("trainer", Priority.Normal), progress, cancellation));
    }

    [Fact]
    public async Task Train_InteractiveTurnQueuedMidRun_GetsTheLaneBeforeTheRunEnds()
    {
        var training = StartTraining(CancellationToken.None);
        await _secondEpoch.Task.WaitAsync(TimeSpan.FromSeconds(30));

        using (await _schedulers["cpu"].EnterAsync(WorkTag.Interactive("caller"), default).WaitAsync(TimeSpan.FromSeconds(10)))
        {
            Assert.False(training.IsCompleted);
            Assert.InRange(Volatile.Read(ref _epochs), 2, Long.Epochs - 1);
        }
        var result = await training.WaitAsync(TimeSpan.FromSeconds(120));

        Assert.Equal(Long.Epochs, result.Epochs.Count);
    }

    [Fact]
    public async Task Train_CancelledMidRun_LeavesTheLaneAndTakesNoFurtherEpoch()
    {
        using var cancel = new CancellationTokenSource();
        var training = StartTraining(cancel.Token);
        await _secondEpoch.Task.WaitAsync(TimeSpan.FromSeconds(30));

        cancel.Cancel();
        var epochsAtCancel = Volatile.Read(ref _epochs);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => training.WaitAsync(TimeSpan.FromSeconds(30)));
        using var free = await _schedulers["cpu"].EnterAsync(WorkTag.Interactive("caller"), default).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.InRange(Volatile.Read(ref _epochs), epochsAtCancel, epochsAtCancel + 1);
        Assert.Equal(0, _schedulers["cpu"].Queued);
    }
}
