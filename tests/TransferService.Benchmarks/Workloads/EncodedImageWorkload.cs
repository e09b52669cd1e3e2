using Google.Protobuf;
using SkiaSharp;
using TransferService.Benchmarks.Bare;
using TransferService.Contracts.V1;

namespace TransferService.Benchmarks.Workloads;

/// <summary>resnet18 fed encoded files (<see cref="EncodedImages"/>) as <c>Input.Image</c>: the service decodes, resizes
/// to 224×224 and normalises each, as it must for a real client. The bare rows stay those of <see cref="ResNet18Workload"/>
/// (ready-made tensors), so the ratio shows what decoding costs on top of the model.</summary>
internal sealed class EncodedImageWorkload(SKEncodedImageFormat format) : IWorkload
{
    private readonly IReadOnlyList<byte[]> _files = EncodedImages.Create(format);
    private readonly ResNet18Workload _pixels = new();

    public string Model => "resnet18";
    public string Output => _pixels.Output;
    public string Name => format.ToString().ToUpperInvariant();
    public string Description => $"{_files.Count} {Name} files of {EncodedImages.Width}x{EncodedImages.Height}, {_files.Average(f => f.Length) / 1024:F0} KB on average";
    public IReadOnlyList<byte[]> Files => _files;

    public IReadOnlyList<BareBatch> CreateBareBatches(int batchSize) => _pixels.CreateBareBatches(batchSize);

    public IReadOnlyList<EmbedRequest> CreateRequests() => _files.Select(file => new EmbedRequest
    {
        Backbone = Model,
        Inputs = { new Input { Image = ByteString.CopyFrom(file) } },
    }).ToArray();
}
