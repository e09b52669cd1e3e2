using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using TransferService.Benchmarks.Bare;
using TransferService.Contracts.V1;

namespace TransferService.Benchmarks.Workloads;

/// <summary>224×224 RGB images (seeded noise: a CNN's cost does not depend on what it sees), sent to the
/// service as raw pixels, so it neither decodes nor resizes, and to the bare session as the planar 0–255
/// floats the merged model takes.</summary>
internal sealed class ResNet18Workload : IWorkload
{
    private const int Side = 224;
    private const int Channels = 3;
    private const int PlaneSize = Side * Side;
    private const int DistinctImages = 8;
    private readonly byte[][] _images;

    public ResNet18Workload()
    {
        var random = new Random(18);
        _images = Enumerable.Range(0, DistinctImages).Select(_ =>
        {
            var pixels = new byte[PlaneSize * Channels];
            random.NextBytes(pixels);
            return pixels;
        }).ToArray();
    }

    public string Model => "resnet18";
    public string Output => "Pooling395_Output_0";
    public string Description => $"{DistinctImages} images, {Side}x{Side} RGB, sent as raw pixels";

    public IReadOnlyList<BareBatch> CreateBareBatches(int batchSize)
    {
        var batches = new List<BareBatch>();
        for (var first = 0; first < DistinctImages; first += batchSize)
        {
            var planar = new float[batchSize * Channels * PlaneSize];
            for (var i = 0; i < batchSize; i++)
                WritePlanar(_images[(first + i) % DistinctImages], planar.AsSpan(i * Channels * PlaneSize, Channels * PlaneSize));
            batches.Add(new BareBatch(batchSize, new Dictionary<string, OrtValue>
            {
                ["OriginalInput"] = BareBatch.Tensor(planar, batchSize, Channels, Side, Side),
            }));
        }
        return batches;
    }

    public IReadOnlyList<EmbedRequest> CreateRequests() => _images.Select(pixels => new EmbedRequest
    {
        Backbone = Model,
        Inputs = { new Input { Pixels = new RawPixels { Data = ByteString.CopyFrom(pixels), Width = Side, Height = Side, Channels = Channels } } },
    }).ToArray();

    /// <summary>HWC bytes → CHW floats, RGB order kept.</summary>
    private static void WritePlanar(byte[] interleaved, Span<float> planar)
    {
        for (var pixel = 0; pixel < PlaneSize; pixel++)
            for (var channel = 0; channel < Channels; channel++)
                planar[channel * PlaneSize + pixel] = interleaved[pixel * Channels + channel];
    }
}
