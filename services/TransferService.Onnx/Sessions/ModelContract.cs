using Onnx;
using TransferService.Core.Backbones;
using TransferService.Core.Errors;

using DataType = Onnx.TensorProto.Types.DataType;

namespace TransferService.Onnx.Sessions;

/// <summary>Checks a loaded model against its manifest (input and output names, element types, item shape,
/// batch dimension), so that a wrong manifest fails at load with the field named, not at the first request. Read
/// from the model file's graph, before the service adds its own inputs and outputs to it.</summary>
internal sealed class ModelContract
{
    private readonly Dictionary<string, ValueInfoProto> _inputs;

    public ModelContract(GraphProto graph, BackboneManifest manifest)
    {
        var initializers = graph.Initializer.Select(i => i.Name).ToHashSet();
        _inputs = graph.Input.Where(i => !initializers.Contains(i.Name)).ToDictionary(i => i.Name);
        var outputs = graph.Output.ToDictionary(o => o.Name);
        if (!outputs.TryGetValue(manifest.Output, out var output))
            throw Invalid("output", $"the model has no output '{manifest.Output}' (it has {Names(outputs)})");
        if (ElementType(output) != DataType.Float)
            throw Invalid("output", $"output '{manifest.Output}' is {ElementType(output)}; float32 is required");

        ItemsPerRun = manifest.MaxBatchSize;
        switch (manifest.Modality)
        {
            case Modality.Image:
                var image = manifest.Image!;
                FloatInput = image.Input;
                ItemShape = [3, image.Height, image.Width];
                CheckFloatInput("image.input", "image.width/height");
                break;
            case Modality.Tensor:
                FloatInput = manifest.Tensor!.Input;
                ItemShape = manifest.Tensor.Shape;
                CheckFloatInput("tensor.input", "tensor.shape");
                break;
            case Modality.Text:
                var text = manifest.Text!;
                foreach (var (field, name) in new[] { ("text.inputIds", text.InputIds), ("text.attentionMask", text.AttentionMask), ("text.tokenTypeIds", text.TokenTypeIds) })
                {
                    if (name.Length == 0) continue;
                    if (!_inputs.TryGetValue(name, out var input))
                        throw Invalid(field, $"the model has no input '{name}' (it has {Names(_inputs)})");
                    if (ElementType(input) != DataType.Int64)
                        throw Invalid(field, $"input '{name}' is {ElementType(input)}; int64 is required");
                }
                break;
        }
    }

    /// <summary>Items per model run: the manifest's max batch, or 1 for a model exported with batch size 1.</summary>
    public int ItemsPerRun { get; private set; }
    public string FloatInput { get; } = "";
    public long[] ItemShape { get; } = [];

    private void CheckFloatInput(string field, string shapeField)
    {
        if (!_inputs.TryGetValue(FloatInput, out var input))
            throw Invalid(field, $"the model has no input '{FloatInput}' (it has {Names(_inputs)})");
        if (ElementType(input) != DataType.Float)
            throw Invalid(field, $"input '{FloatInput}' is {ElementType(input)}; float32 is required");
        // A dimension without a value (symbolic or absent) reads as -1, as ONNX Runtime reports it.
        var dims = input.Type.TensorType.Shape?.Dim.Select(d => d.HasDimValue ? d.DimValue : -1).ToArray() ?? [];
        if (dims.Length != ItemShape.Length + 1)
            throw Invalid(shapeField, $"input '{FloatInput}' has rank {dims.Length}; the manifest describes rank {ItemShape.Length + 1} with the batch");
        for (var i = 0; i < ItemShape.Length; i++)
            if (dims[i + 1] > 0 && dims[i + 1] != ItemShape[i])
                throw Invalid(shapeField, $"input '{FloatInput}' has shape [{string.Join(",", dims)}]; the manifest says [N,{string.Join(",", ItemShape)}]");
        if (dims[0] == 1) ItemsPerRun = 1;
        else if (dims[0] > 1) throw Invalid(field, $"input '{FloatInput}' has a fixed batch size of {dims[0]}; export the model with a dynamic batch dimension");
    }

    private static DataType ElementType(ValueInfoProto value) => (DataType)(value.Type?.TensorType?.ElemType ?? 0);

    private static string Names<T>(IReadOnlyDictionary<string, T> metadata) => string.Join(", ", metadata.Keys.Select(k => $"'{k}'"));

    private static TransferException Invalid(string field, string message) => TransferException.Invalid(field, $"backbone.json: {field}: {message}");
}
