using Google.Protobuf;
using Grpc.Core;
using TransferService.Contracts.V1;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Hostile;

/// <summary>Every uploaded example is checked against the kind it declares, with embedding's own decoder and
/// limits: a bad one fails the upload naming examples[i] (counted over the stream) and nothing is stored.</summary>
[Collection(ServerCollection.Name)]
public sealed class IntegrityExampleValidationTests(ServerFixture server)
{
    private readonly HeadWorkflow _workflow = new(server);

    private static byte[] Png()
    {
        var rgb = new byte[224 * 224 * 3];
        for (var i = 0; i < rgb.Length; i++) rgb[i] = (byte)(i * 7 % 251);
        return TestImages.EncodePng(rgb);
    }

    private static Input Tensor(long[] shape, params float[] values) => new() { Tensor = new FloatTensor { Shape = { shape }, Values = { values } } };

    public static TheoryData<string, string> BadExamples => new()
    {
        { "truncated-png", "examples[1].image" },
        { "not-an-image", "examples[1].image" },
        { "over-pixel-budget", "examples[1].image" },
        { "pixels-short", "examples[1].pixels.data" },
        { "empty-text", "examples[1].text" },
        { "blank-text", "examples[1].text" },
        { "text-over-limit", "examples[1].text" },
        { "tensor-nan", "examples[1].tensor.values" },
        { "tensor-infinity", "examples[1].tensor.values" },
        { "tensor-values-not-shape", "examples[1].tensor.values" },
        { "tensor-zero-dimension", "examples[1].tensor.shape" },
    };

    private static (Input Good, Input Bad) Case(string name) => name switch
    {
        "truncated-png" => (new Input { Image = ByteString.CopyFrom(Png()) }, new Input { Image = ByteString.CopyFrom(Png()[..(Png().Length / 2)]) }),
        "not-an-image" => (new Input { Image = ByteString.CopyFrom(Png()) }, new Input { Image = ByteString.CopyFromUtf8("GIF89a, or so it says") }),
        "over-pixel-budget" => (new Input { Image = ByteString.CopyFrom(Png()) }, new Input { Image = ByteString.CopyFrom(PngHeader.WithSize(10_000, 10_000)) }),
        "pixels-short" => (Pixels(28 * 28), Pixels(28 * 28 - 1)),
        "empty-text" => (HeadWorkflow.Text("fine"), HeadWorkflow.Text("")),
        "blank-text" => (HeadWorkflow.Text("fine"), HeadWorkflow.Text(" \n\t ")),
        "text-over-limit" => (HeadWorkflow.Text(new string('a', 100_000)), HeadWorkflow.Text(new string('a', 100_001))),
        "tensor-nan" => (Tensor([2], 1, 2), Tensor([2], 1, float.NaN)),
        "tensor-infinity" => (Tensor([2], 1, 2), Tensor([2], float.NegativeInfinity, 2)),
        "tensor-values-not-shape" => (Tensor([2, 2], 1, 2, 3, 4), Tensor([2, 2], 1, 2, 3)),
        _ => (Tensor([2], 1, 2), Tensor([0])),
    };

    private static Input Pixels(int bytes) => new() { Pixels = new RawPixels { Data = ByteString.CopyFrom(new byte[bytes]), Width = 28, Height = 28, Channels = 1 } };

    /// <summary>One example per message, so the index in the error is counted over the stream.</summary>
    private async Task UploadOnePerMessageAsync(string name, params Input[] inputs)
    {
        using var call = _workflow.Datasets.UploadDataset();
        foreach (var input in inputs)
            await call.RequestStream.WriteAsync(new UploadDatasetRequest { Name = name, Examples = { new LabeledExample { Input = input, Label = "x" } } });
        await call.RequestStream.CompleteAsync();
        await call;
    }

    [Theory]
    [MemberData(nameof(BadExamples))]
    public async Task UploadDataset_ExampleNotWhatItDeclares_InvalidArgumentNamingItNothingStored(string name, string field)
    {
        var (good, bad) = Case(name);
        var before = (await _workflow.Datasets.ListDatasetsAsync(new ListDatasetsRequest())).Datasets.Count;

        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => UploadOnePerMessageAsync(name, good, bad), field);

        Assert.Equal(before, (await _workflow.Datasets.ListDatasetsAsync(new ListDatasetsRequest())).Datasets.Count);
        Assert.Empty(Directory.GetDirectories(Path.Combine(server.DataFolder, "tenants", "default", "datasets"), ".*"));
    }

    [Fact]
    public async Task UploadDataset_ValidExampleOfEveryKind_StoredWithItsCount()
    {
        var examples = new (Input, string)[]
        {
            (new Input { Image = ByteString.CopyFrom(Png()) }, "png"),
            (new Input { Image = ByteString.CopyFrom(TestImages.EncodeJpeg(new byte[224 * 224 * 3])) }, "jpeg"),
            (Pixels(28 * 28), "pixels"),
            (HeadWorkflow.Text("a short text"), "text"),
            (Tensor([2, 2], 1, 2, 3, 4), "tensor"),
        };

        var dataset = await _workflow.UploadAsync("every-kind", examples);

        Assert.Equal(5u, dataset.Count);
        Assert.Equal("", dataset.Damaged);
        await _workflow.Datasets.DeleteDatasetAsync(new DeleteDatasetRequest { DatasetId = dataset.Id });
    }
}
