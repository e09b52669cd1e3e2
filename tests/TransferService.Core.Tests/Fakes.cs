using Microsoft.Extensions.Logging.Abstractions;
using TransferService.Core.Backbones;
using TransferService.Core.Inputs;
using TransferService.Core.Scheduling;

namespace TransferService.Core.Tests;

/// <summary>An input whose embedding is [value, value]: lets tests see which item got which answer.</summary>
internal sealed class FakeInput(float value) : PreparedInput
{
    public float Value { get; } = value;
}

internal sealed class FakeSession(string lane) : IBackboneSession
{
    public List<int> BatchSizes { get; } = [];
    /// <summary>The values of each batch's items, in the order the batch held them.</summary>
    public List<float[]> Batches { get; } = [];
    /// <summary>Called on the lane's worker as each batch runs.</summary>
    public Action? OnRun { get; init; }
    public string Lane { get; } = lane;
    public bool Disposed { get; private set; }

    public void Run(IReadOnlyList<PreparedInput> batch, Span<float> embeddings, CancellationToken cancellationToken)
    {
        BatchSizes.Add(batch.Count);
        Batches.Add(batch.Select(i => ((FakeInput)i).Value).ToArray());
        OnRun?.Invoke();
        for (var i = 0; i < batch.Count; i++) embeddings[2 * i] = embeddings[2 * i + 1] = ((FakeInput)batch[i]).Value;
    }

    public void Dispose() => Disposed = true;
}

internal sealed class FakeRuntime(params string[] lanes) : IBackboneRuntime
{
    private readonly string[] _lanes = lanes.Length > 0 ? lanes : ["cpu", "cpu:1"];
    public IReadOnlyList<string> Lanes => _lanes;
    public LaneSchedulers Schedulers { get; } =
        new(lanes.Length > 0 ? lanes : ["cpu", "cpu:1"], new SchedulingOptions(), TimeSpan.FromMilliseconds(2), TimeProvider.System, NullLoggerFactory.Instance);
    public List<FakeSession> Sessions { get; } = [];
    /// <summary>What <see cref="WeightCopies"/> answers for every backbone.</summary>
    public int Copies { get; init; } = 1;
    public int WeightCopies(BackboneManifest manifest) => Copies;
    public IInputPreparer CreatePreparer(BackboneManifest manifest, string folder) => new FakePreparer();

    public IBackboneSession CreateSession(BackboneManifest manifest, string folder, string lane)
    {
        var session = new FakeSession(lane);
        Sessions.Add(session);
        return session;
    }

    private sealed class FakePreparer : IInputPreparer
    {
        public PreparedInput Prepare(EmbeddingInput input) => new FakeInput(((TensorInput)input).Values.Span[0]);
    }
}
