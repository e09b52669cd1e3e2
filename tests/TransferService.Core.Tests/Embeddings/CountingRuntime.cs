using TransferService.Core.Backbones;
using TransferService.Core.Errors;
using TransferService.Core.Inputs;
using TransferService.Core.Scheduling;

namespace TransferService.Core.Tests.Embeddings;

/// <summary><see cref="FakeRuntime"/> whose preparer counts the items it prepared and the most it prepared at once,
/// reports 4 bytes per item (one float, the manifest's size), refuses negative values as a bad input, and
/// does what <see cref="Preparing"/> says with each item's thread when a test sets it.</summary>
internal sealed class CountingRuntime : IBackboneRuntime
{
    private readonly FakeRuntime _inner = new();
    private int _prepared;
    private int _running;
    private int _mostAtOnce;

    public int Prepared => Volatile.Read(ref _prepared);
    public int MostAtOnce => Volatile.Read(ref _mostAtOnce);
    /// <summary>What preparing an item of this value does besides counting it (sleep, wait for another); nothing when null.</summary>
    public Action<float>? Preparing { get; set; }
    public IReadOnlyList<string> Lanes => _inner.Lanes;
    public IInputPreparer CreatePreparer(BackboneManifest manifest, string folder) => new CountingPreparer(this);
    public IBackboneSession CreateSession(BackboneManifest manifest, string folder, string lane) => _inner.CreateSession(manifest, folder, lane);
    public LaneSchedulers Schedulers => _inner.Schedulers;

    private sealed class CountingPreparer(CountingRuntime runtime) : IInputPreparer
    {
        public PreparedInput Prepare(EmbeddingInput input)
        {
            Interlocked.Increment(ref runtime._prepared);
            var running = Interlocked.Increment(ref runtime._running);
            for (var seen = runtime.MostAtOnce; running > seen; seen = runtime.MostAtOnce)
                if (Interlocked.CompareExchange(ref runtime._mostAtOnce, running, seen) == seen) break;
            try
            {
                var value = ((TensorInput)input).Values.Span[0];
                if (value < 0) throw TransferException.Invalid("tensor.values", "tensor.values[0] is negative");
                runtime.Preparing?.Invoke(value);
                return new FakeInput(value) { Bytes = sizeof(float) };
            }
            finally
            {
                Interlocked.Decrement(ref runtime._running);
            }
        }
    }
}
