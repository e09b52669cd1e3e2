using TransferService.Core.Backbones;
using TransferService.Core.Errors;
using TransferService.Core.Inputs;
using TransferService.Core.Scheduling;

namespace TransferService.Core.Tests.Embeddings;

/// <summary><see cref="FakeRuntime"/> whose preparer takes (10 − value) × 20 ms of a thread, so later inputs of a call
/// are ready first, refuses negative values, and records how many preparations started and ran at once.</summary>
internal sealed class SlowPreparingRuntime : IBackboneRuntime
{
    private readonly FakeRuntime _inner = new();
    private int _started;
    private int _running;
    private int _mostAtOnce;

    public int Started => Volatile.Read(ref _started);
    public int MostAtOnce => Volatile.Read(ref _mostAtOnce);
    public IReadOnlyList<string> Lanes => _inner.Lanes;
    public LaneSchedulers Schedulers => _inner.Schedulers;
    public IInputPreparer CreatePreparer(BackboneManifest manifest, string folder) => new SlowPreparer(this);
    public IBackboneSession CreateSession(BackboneManifest manifest, string folder, string lane) => _inner.CreateSession(manifest, folder, lane);

    private sealed class SlowPreparer(SlowPreparingRuntime runtime) : IInputPreparer
    {
        public PreparedInput Prepare(EmbeddingInput input)
        {
            Interlocked.Increment(ref runtime._started);
            var running = Interlocked.Increment(ref runtime._running);
            InterlockedMax(ref runtime._mostAtOnce, running);
            try
            {
                var value = ((TensorInput)input).Values.Span[0];
                if (value < 0) throw TransferException.Invalid("tensor.values", "tensor.values[0] is negative");
                Thread.Sleep(TimeSpan.FromMilliseconds((10 - value) * 20));
                return new FakeInput(value) { Bytes = sizeof(float) };
            }
            finally
            {
                Interlocked.Decrement(ref runtime._running);
            }
        }

        private static void InterlockedMax(ref int target, int value)
        {
            for (var seen = Volatile.Read(ref target); value > seen; seen = Volatile.Read(ref target))
                if (Interlocked.CompareExchange(ref target, value, seen) == seen) return;
        }
    }
}
