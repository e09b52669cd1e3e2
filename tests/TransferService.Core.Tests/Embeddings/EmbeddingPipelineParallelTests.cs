using TransferService.Core.Backbones;
using TransferService.Core.Batching;
using TransferService.Core.Embeddings;
using TransferService.Core.Errors;
using TransferService.Core.Inputs;
using TransferService.Core.Scheduling;

namespace TransferService.Core.Tests.Embeddings;

/// <summary>A call of several inputs prepares them in parallel: answers in input order, at most
/// MaxParallelPreparations at once, within the call's share, and nothing prepared after it is cancelled.</summary>
public sealed class EmbeddingPipelineParallelTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("parallel-tests").FullName;
    private readonly SlowPreparingRuntime _runtime = new();
    private readonly PreparationBudget _budget = new(1000, TimeSpan.FromSeconds(10), TimeProvider.System);
    private BackboneRegistry _registry = null!;

    public Task InitializeAsync()
    {
        FakeBackbones.Write(_root, "tiny");
        _registry = FakeBackbones.Registry(_root, _runtime, _runtime.Schedulers);
        return Task.CompletedTask;
    }

    private EmbeddingPipeline Pipeline(int parallel, long share = 1000) => new(_registry, new LeastLoadedScheduler(_registry),
        new EmbeddingLimits { MaxParallelPreparations = parallel, MaxPreparedBytesPerRequest = share }, _budget, TimeProvider.System);

    private static EmbeddingInput[] Inputs(params float[] values) =>
        values.Select(v => (EmbeddingInput)new TensorInput([1], new[] { v })).ToArray();

    [Fact]
    public async Task Embed_LaterInputsPreparedFirst_AnswersInInputOrder()
    {
        var values = Enumerable.Range(0, 8).Select(i => (float)i).ToArray();

        var result = await Pipeline(parallel: 4).EmbedAsync("tiny", Inputs(values), false, WorkTag.System, default);

        Assert.Equal(values.SelectMany(v => new[] { v, v }), result.Embeddings);
        Assert.InRange(_runtime.MostAtOnce, 2, 4);
    }

    [Fact]
    public async Task Embed_ShareOfTwoItems_NeverPreparesMoreThanTwoAtOnce()
    {
        var result = await Pipeline(parallel: 8, share: 2 * sizeof(float)).EmbedAsync("tiny", Inputs(0, 1, 2, 3, 4, 5), false, WorkTag.System, default);

        Assert.Equal(12, result.Embeddings.Length);
        Assert.InRange(_runtime.MostAtOnce, 1, 2);
        Assert.Equal(_budget.Capacity, _budget.Available);
    }

    [Fact]
    public async Task Embed_BadInputAmongParallelOnes_FirstBadInOrderNamedAndBudgetReturned()
    {
        var error = await Assert.ThrowsAsync<TransferException>(() =>
            Pipeline(parallel: 4).EmbedAsync("tiny", Inputs(0, 1, -1, 3, -2, 5), false, WorkTag.System, default));

        Assert.Equal((ErrorCode.InvalidArgument, "inputs[2].tensor.values"), (error.Code, error.Field));
        Assert.Equal(_budget.Capacity, _budget.Available);
    }

    [Fact]
    public async Task Embed_CancelledWhilePreparing_ThrowsCancelledAndStartsNoMorePreparations()
    {
        using var cancel = new CancellationTokenSource();
        var call = Pipeline(parallel: 2).EmbedAsync("tiny", Inputs(Enumerable.Repeat(0f, 40).ToArray()), false, WorkTag.System, cancel.Token);
        await Task.Delay(300);
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(TimeSpan.FromSeconds(10)));
        var startedWhenItEnded = _runtime.Started;
        await Task.Delay(400);

        Assert.InRange(startedWhenItEnded, 2, 10);
        Assert.Equal(startedWhenItEnded, _runtime.Started);
        Assert.Equal(_budget.Capacity, _budget.Available);
    }

    public async Task DisposeAsync()
    {
        await _registry.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }
}
