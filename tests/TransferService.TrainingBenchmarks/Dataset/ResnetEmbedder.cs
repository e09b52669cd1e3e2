using Microsoft.ML.OnnxRuntime;

namespace TransferService.TrainingBenchmarks.Dataset;

/// <summary>Embeds gray images with the resnet18 backbone file in a bare <see cref="InferenceSession"/>: each pixel
/// becomes an 8×8 block of the same raw 0..255 value in R, G and B (28 → 224), and the pooled output is the
/// 512-d embedding. Owns its session.</summary>
internal sealed class ResnetEmbedder : IDisposable
{
    public const int Dimension = 512;
    private const string Input = "OriginalInput";
    private const string Output = "Pooling395_Output_0";
    private const int Side = 224;
    private const int BatchSize = 32;
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();

    public ResnetEmbedder(string modelFile, string device)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        if (device.StartsWith("cuda:", StringComparison.Ordinal)) options.AppendExecutionProvider_CUDA(int.Parse(device[5..]));
        _session = new InferenceSession(modelFile, options);
    }

    /// <summary>[count × 512] embeddings of <paramref name="count"/> square gray images of <paramref name="side"/> pixels.</summary>
    public float[] Embed(byte[] pixels, int count, int side, IProgress<int>? progress = null)
    {
        var embeddings = new float[count * Dimension];
        for (var start = 0; start < count; start += BatchSize)
        {
            var n = Math.Min(BatchSize, count - start);
            var input = new float[n * 3 * Side * Side];
            for (var i = 0; i < n; i++) Upscale(pixels.AsSpan((start + i) * side * side, side * side), side, input.AsSpan(i * 3 * Side * Side, 3 * Side * Side));
            using var value = OrtValue.CreateTensorValueFromMemory(input, [n, 3, Side, Side]);
            using var outputs = _session.Run(_runOptions, [Input], [value], [Output]);
            outputs[0].GetTensorDataAsSpan<float>().CopyTo(embeddings.AsSpan(start * Dimension, n * Dimension));
            progress?.Report(start + n);
        }
        return embeddings;
    }

    /// <summary>Nearest-neighbour upscale of one gray image into planar R, G, B at 224×224.</summary>
    private static void Upscale(ReadOnlySpan<byte> gray, int side, Span<float> planes)
    {
        var scale = Side / side;
        var plane = planes[..(Side * Side)];
        for (var y = 0; y < Side; y++)
            for (var x = 0; x < Side; x++)
                plane[y * Side + x] = gray[y / scale * side + x / scale];
        plane.CopyTo(planes.Slice(Side * Side, Side * Side));
        plane.CopyTo(planes.Slice(2 * Side * Side, Side * Side));
    }

    public void Dispose()
    {
        _runOptions.Dispose();
        _session.Dispose();
    }
}
