using TransferService.Core.Backbones;
using TransferService.Core.Errors;
using TransferService.Core.Heads;
using TransferService.Onnx.Export;

namespace TransferService.Onnx.Tests.Export;

public sealed class OnnxHeadExporterTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("exporter").FullName;

    private static readonly HeadRecord Head = new()
    {
        Name = "h", Version = 1, Backbone = "b", BackboneVersion = "1", Labels = ["x", "y"], DatasetId = "ds",
        Config = new TrainingConfig(), Temperature = 1f, Created = DateTimeOffset.UnixEpoch,
        Weights = new HeadWeights(2, [2], [[1, 2, 3, 4]], [[0.5f, -0.5f]]),
        Evaluation = new HeadEvaluation(1, 1, [1, 1], [1, 1], [[1, 0], [0, 1]], 0.1, 0.09, 8, 2, 3, []),
    };

    private static readonly BackboneManifest Backbone = new()
    {
        Name = "b", Modality = Modality.Tensor, Output = "y", Dimension = 2, Tensor = new TensorSpec { Input = "x", Shape = [2] },
    };

    [Theory]
    [InlineData(null, "is missing")]
    [InlineData("not an onnx model", "cannot be read")]
    public void Export_BackboneModelMissingOrNotOnnx_FailedPreconditionOnTheHeadWithoutPath(string? content, string reason)
    {
        if (content is not null) File.WriteAllText(Path.Combine(_folder, Backbone.Model), content);

        var error = Assert.Throws<TransferException>(() => new OnnxHeadExporter().Export(Head, Backbone, _folder));

        Assert.Equal((ErrorCode.FailedPrecondition, "head"), (error.Code, error.Field));
        Assert.Contains(reason, error.Message);
        Assert.DoesNotContain(_folder, error.Message);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
