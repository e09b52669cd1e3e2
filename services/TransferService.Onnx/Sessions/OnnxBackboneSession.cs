using Microsoft.ML.OnnxRuntime;
using TransferService.Core.Backbones;
using TransferService.Core.Errors;
using TransferService.Core.Inputs;
using TransferService.Onnx.Graphs;
using TransferService.Onnx.Lanes;

namespace TransferService.Onnx.Sessions;

/// <summary>A backbone's ONNX Runtime session on one lane, run through <see cref="OrtIoBinding"/>s over reusable
/// pinned input buffers: one slot (binding + feeder), or two when a batch is split into several runs, so the next
/// run is packed while one runs (<see cref="OverlappedRuns"/>). Owns the session, bindings, run options and feeders.</summary>
internal sealed class OnnxBackboneSession : IBackboneSession
{
    private readonly BackboneManifest _manifest;
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly (IBatchFeeder Feeder, OrtIoBinding Binding)[] _slots;
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
        _itemsPerRun = lane.Options.ItemsPerRun > 0 ? Math.Min(lane.Options.ItemsPerRun, model.ItemsPerRun) : model.ItemsPerRun;
        InGraph = model.InGraph;
        _session = Open(model, manifest, lane);
        try
        {
            // A second slot only where overlap was asked for: a model exported with batch 1 runs item by item,
            // and a thread hop per item would cost more than it hides on a CPU.
            var slots = lane.Options.ItemsPerRun > 0 && _itemsPerRun < manifest.MaxBatchSize ? OverlappedRuns.Slots : 1;
            _slots = Enumerable.Range(0, slots).Select(_ => (CreateFeeder(manifest, model.InGraph, _itemsPerRun), _session.CreateIoBinding())).ToArray();
        }
        catch
        {
            _session.Dispose();
            throw;
        }
    }

    public string Lane { get; }

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
            OverlappedRuns.Run(runs, _slots.Length, (slot, run) => Pack(slot, batch, run), (slot, run, target) =>
            {
                cancellationToken.ThrowIfCancellationRequested();
                Execute(slot, batch, run, target);
            }, embeddings);
        }
        finally
        {
            foreach (var slot in _slots) Release(slot);
        }
    }

    private void Pack(int slot, IReadOnlyList<PreparedInput> batch, int run)
    {
        var start = run * _itemsPerRun;
        _slots[slot].Feeder.Bind(_slots[slot].Binding, batch, start, Math.Min(_itemsPerRun, batch.Count - start));
    }

    private void Execute(int slot, IReadOnlyList<PreparedInput> batch, int run, Span<float> embeddings)
    {
        var (feeder, binding) = _slots[slot];
        var start = run * _itemsPerRun;
        var count = Math.Min(_itemsPerRun, batch.Count - start);
        var dimension = _manifest.Dimension;
        try
        {
            binding.BindOutputToDevice(_output, OrtMemoryInfo.DefaultInstance);
            _session.RunWithBinding(_runOptions, binding);
            using var outputs = binding.GetOutputValues();
            var output = outputs[0];
            EmbeddingPooler.Pool(_pooling, output.GetTensorDataAsSpan<float>(), output.GetTensorTypeAndShape().Shape,
                feeder.Mask, dimension, embeddings.Slice(start * dimension, count * dimension));
        }
        finally
        {
            Release(_slots[slot]);
        }
    }

    private static void Release((IBatchFeeder Feeder, OrtIoBinding Binding) slot)
    {
        slot.Binding.ClearBoundInputs();
        slot.Binding.ClearBoundOutputs();
        slot.Feeder.Release();
    }

    public void Dispose()
    {
        foreach (var (feeder, binding) in _slots)
        {
            feeder.Dispose();
            binding.Dispose();
        }
        _runOptions.Dispose();
        _session.Dispose();
    }
}
