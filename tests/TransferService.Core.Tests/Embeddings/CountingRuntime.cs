using TransferService.Core.Backbones;
using TransferService.Core.Errors;
using TransferService.Core.Inputs;
using TransferService.Core.Scheduling;

namespace TransferService.Core.Tests.Embeddings;

/// <summary><see cref="FakeRuntime"/> whose preparer counts the items it prepared, reports 4 bytes per item
/// (one float, the manifest's size) and refuses negative values as a bad input.</summary>
internal sealed class CountingRuntime : IBackboneRuntime
{
    private readonly FakeRuntime _inner = new();
    private int _prepared;

    public int Prepared => Volatile.Read(ref _prepared);
    public IReadOnlyList<string> Lanes => _inner.Lanes;
    public IInputPreparer CreatePreparer(BackboneManifest manifest, string folder) => new CountingPreparer(this);
    public IBackboneSession CreateSession(BackboneManifest manifest, string folder, string lane) => _inner.CreateSession(manifest, folder, lane);
    public LaneSchedulers Schedulers => _inner.Schedulers;

    private sealed class CountingPreparer(CountingRuntime runtime) : IInputPreparer
    {
        public PreparedInput Prepare(EmbeddingInput input)
        {
            Interlocked.Increment(ref runtime._prepared);
            var value = ((TensorInput)input).Values.Span[0];
            if (value < 0) throw TransferException.Invalid("tensor.values", "tensor.values[0] is negative");
            return new FakeInput(value) { Bytes = sizeof(float) };
        }
    }
}
