using Onnx;
using TransferService.Core.Backbones;
using TransferService.Onnx.Preprocessing;
using TransferService.Onnx.Training;
using static TransferService.Onnx.Training.OnnxAttributes;
using DataType = Onnx.TensorProto.Types.DataType;

namespace TransferService.Onnx.Graphs;

/// <summary>Nodes in front of an image model that take the prepared 8-bit RGBA rows [N,H,W,4] and make the planar
/// float32 input the model was exported for: move the channels first, pick them in the model's order, then
/// pixel·(scale/std) − mean/std with the float32 constants <see cref="ImagePlanes"/> uses on the host, so the
/// model sees the same bits. Only operators whose meaning is unchanged since opset 7 (resnet18's CNTK export is 8).</summary>
internal static class PixelNormalization
{
    public static void Prepend(OnnxGraph graph, ImageSpec spec, string pixelsInput)
    {
        // Bytes first, floats last: the transpose moves a quarter of the bytes it would as floats, and the channel pick
        // after it copies three whole planes instead of gathering one value per pixel. The cast is exact, so the
        // order changes no bit.
        var planes = graph.Node("Cast", [graph.Node("Gather",
            [graph.Node("Transpose", [pixelsInput], Ints("perm", 0, 3, 1, 2)), graph.Int64s(Channels(spec))],
            Int("axis", 1))], Int("to", (long)DataType.Float));
        var coefficients = Enumerable.Range(0, 3).Select(c => ImagePlanes.Coefficients(spec, c)).ToArray();
        if (coefficients.All(k => k is { Scale: 1f, Offset: 0f }))
            graph.NodeTo("Identity", [planes], spec.Input);
        else
        {
            var scaled = graph.Node("Mul", [planes, graph.Initializer(graph.NewName("pixel_scale"), coefficients.Select(k => k.Scale).ToArray(), [1, 3, 1, 1])]);
            graph.NodeTo("Sub", [scaled, graph.Initializer(graph.NewName("pixel_offset"), coefficients.Select(k => k.Offset).ToArray(), [1, 3, 1, 1])], spec.Input);
        }
        graph.Input(pixelsInput, DataType.Uint8, OnnxGraph.Symbolic, spec.Height, spec.Width, PreparedPixels.Channels);
    }

    private static long[] Channels(ImageSpec spec) => Enumerable.Range(0, 3).Select(c => (long)ImagePlanes.Source(spec, c)).ToArray();
}
