using Microsoft.ML.OnnxRuntime;
using TransferService.Core.Backbones;
using TransferService.Core.Errors;
using TransferService.Core.Inputs;
using TransferService.Onnx.Graphs;
using TransferService.Onnx.Lanes;

namespace TransferService.Onnx.Sessions;

/// <summary>A backbone's ONNX Runtime sessions on one lane, run through <see cref="OrtIoBinding"/>s over reusable
/// pinned input buffers. Usually one session taking any batch size; for fixed-shape inputs on a CUDA lane one session
/// per batch size of <see cref="BatchShapes"/>, each run once at load, with every run padded up to its session's size.
/// Each session has one slot (binding + feeder), or two when a batch is split into several runs, so the next run is
/// packed while one runs (<see cref="OverlappedRuns"/>). Owns the sessions, bindings, run options and feeders.</summary>
internal sealed class OnnxBackboneSession : IBackboneSession
{
    /// <summary>A session and its slots; <see cref="Rows"/> is the one batch size it runs, or <see cref="BatchShapes.AnySize"/>.</summary>
    private sealed record Runner(int Rows, InferenceSession Session, (IBatchFeeder Feeder, OrtIoBinding Binding)[] Slots);

    private readonly BackboneManifest _manifest;
    private readonly RunOptions _runOptions = new();
    private readonly List<Runner> _runners = [];
    private readonly int[] _rows;
    private readonly int _itemsPerRun;
    private readonly string _output;
    private readonly Pooling _pooling;

    public OnnxBackboneSession(BackboneManifest manifest, string folder, DeviceLane lane, long maxModelBytes)
    {
        _manifest = manifest;
        Lane = lane.Name;
        var model = ServingModel.Load(manifest, folder, lane, maxModelBytes);
        _output = model.InGraph ? ServingGraph.EmbeddingOutput : manifest.Output;
        _pooling = model.InGraph ? Pooling.None : manifest.Pooling;
        _itemsPerRun = lane.Options.RunSize(model.ItemsPerRun);
        InGraph = model.InGraph;
        _rows = BatchShapes.Of(manifest, lane, _itemsPerRun);
        // A second slot only where overlap was asked for: a model exported with batch 1 runs item by item,
        // and a thread hop per item would cost more than it hides on a CPU.
        var slots = lane.Options.ItemsPerRun > 0 && _itemsPerRun < manifest.MaxBatchSize ? OverlappedRuns.Slots : 1;
        try
        {
            foreach (var rows in _rows)
            {
                var session = Open(model, manifest, lane);
                try
                {
                    // A session of one size gets buffers of that size: pinned host memory for twice the largest run in all.
                    var capacity = rows == BatchShapes.AnySize ? _itemsPerRun : rows;
                    _runners.Add(new Runner(rows, session,
                        Enumerable.Range(0, slots).Select(_ => (CreateFeeder(manifest, model.InGraph, capacity), session.CreateIoBinding())).ToArray()));
                }
                catch
                {
                    session.Dispose();
                    throw;
                }
                if (rows != BatchShapes.AnySize) RunOnce(_runners[^1]);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Lane { get; }

    /// <summary>The batch sizes of the sessions, one per size, or null where one session takes any size.</summary>
    internal IReadOnlyList<int>? BatchSizes => _rows[0] == BatchShapes.AnySize ? null : _rows;

    /// <summary>True when normalisation and pooling run inside the graph (<see cref="ServingGraph"/>).</summary>
    public bool InGraph { get; }

    private static IBatchFeeder CreateFeeder(BackboneManifest manifest, bool inGraph, int itemsPerRun) => manifest.Modality switch
    {
        Modality.Image when inGraph => new PixelFeeder(manifest.Image!, itemsPerRun),
        Modality.Image => new ImagePlaneFeeder(manifest.Image!, itemsPerRun),
        Modality.Text when inGraph => new TokenIdFeeder(manifest.Text!, itemsPerRun),
        Modality.Text => new TokenFeeder(manifest.Text!, itemsPerRun),
        _ => new FloatTensorFeeder(manifest.Tensor!.Input, manifest.Tensor.Shape, itemsPerRun),
    };

    private static InferenceSession Open(ServingModel model, BackboneManifest manifest, DeviceLane lane)
    {
        using var options = lane.CreateSessionOptions();
        try
        {
            return model.Bytes is null ? new InferenceSession(model.Path, options) : new InferenceSession(model.Bytes, options);
        }
        catch (OnnxRuntimeException e)
        {
            // ONNX Runtime may name the file (or its external weights) by the server's path.
            var reason = e.Message.Replace(model.Path, manifest.Model).Replace(System.IO.Path.GetDirectoryName(model.Path)!, "<backbone folder>");
            throw ServingModel.Unloadable(manifest, reason, e);
        }
    }

    public void Run(IReadOnlyList<PreparedInput> batch, Span<float> embeddings, CancellationToken cancellationToken)
    {
        var runs = (batch.Count + _itemsPerRun - 1) / _itemsPerRun;
        try
        {
            OverlappedRuns.Run(runs, _runners[0].Slots.Length, (slot, run) => Pack(slot, batch, run), (slot, run, target) =>
            {
                cancellationToken.ThrowIfCancellationRequested();
                var (start, count, runner) = Locate(batch, run);
                Execute(runner, slot, start, count, target);
            }, embeddings);
        }
        finally
        {
            foreach (var runner in _runners)
            foreach (var slot in runner.Slots) Release(slot);
        }
    }

    /// <summary>The items of run <paramref name="run"/>, and the session that runs them: the one of the smallest batch
    /// size that holds them.</summary>
    private (int Start, int Count, Runner Runner) Locate(IReadOnlyList<PreparedInput> batch, int run)
    {
        var start = run * _itemsPerRun;
        var count = Math.Clamp(batch.Count - start, 0, _itemsPerRun);
        return (start, count, _runners[BatchSizes is null ? 0 : BatchShapes.Fit(_rows, count)]);
    }

    private void Pack(int slot, IReadOnlyList<PreparedInput> batch, int run)
    {
        var (start, count, runner) = Locate(batch, run);
        runner.Slots[slot].Feeder.Bind(runner.Slots[slot].Binding, batch, start, count, runner.Rows == BatchShapes.AnySize ? count : runner.Rows);
    }

    /// <summary>Runs what the slot holds bound and pools items [start, start + count) into the embeddings.</summary>
    private void Execute(Runner runner, int slot, int start, int count, Span<float> embeddings)
    {
        var (feeder, binding) = runner.Slots[slot];
        var dimension = _manifest.Dimension;
        try
        {
            binding.BindOutputToDevice(_output, OrtMemoryInfo.DefaultInstance);
            runner.Session.RunWithBinding(_runOptions, binding);
            using var outputs = binding.GetOutputValues();
            var output = outputs[0];
            EmbeddingPooler.Pool(_pooling, output.GetTensorDataAsSpan<float>(), output.GetTensorTypeAndShape().Shape,
                feeder.Mask, dimension, embeddings.Slice(start * dimension, count * dimension));
        }
        finally
        {
            Release(runner.Slots[slot]);
        }
    }

    /// <summary>Runs a session of one batch size on rows of zeros, so the device's per-shape work (cuDNN's plans) is done
    /// while the backbone loads rather than in the first call of that size.</summary>
    private void RunOnce(Runner runner)
    {
        runner.Slots[0].Feeder.Bind(runner.Slots[0].Binding, [], 0, 0, runner.Rows);
        Execute(runner, 0, 0, 0, Span<float>.Empty);
    }

    private static void Release((IBatchFeeder Feeder, OrtIoBinding Binding) slot)
    {
        slot.Binding.ClearBoundInputs();
        slot.Binding.ClearBoundOutputs();
        slot.Feeder.Release();
    }

    public void Dispose()
    {
        foreach (var runner in _runners)
        {
            foreach (var (feeder, binding) in runner.Slots)
            {
                feeder.Dispose();
                binding.Dispose();
            }
            runner.Session.Dispose();
        }
        _runOptions.Dispose();
    }
}
