using Microsoft.Extensions.Logging.Abstractions;
using TransferService.Core.Backbones;
using TransferService.Core.Inputs;
using TransferService.Onnx.Installation;
using TransferService.Onnx.Lanes;
using TransferService.Onnx.Sessions;
using TransferService.Tests.Infrastructure;

namespace TransferService.Onnx.Tests.Sessions;

/// <summary>The built-in backbones installed as the service installs them, into a folder of the test class's own;
/// sessions on CPU lanes with chosen options run them. Installed once for the collection; the folder is deleted after.</summary>
public sealed class InstalledBuiltins : IDisposable
{
    public const string Collection = "installed built-in backbones";

    public string Root { get; } = Path.Combine(Path.GetTempPath(), $"transfer-builtins-{Guid.NewGuid():N}");

    public InstalledBuiltins() =>
        new BuiltinBackboneInstaller(new ModelRepository(Root), NullLogger<BuiltinBackboneInstaller>.Instance).InstallMissing();

    public BackboneManifest Manifest(string name) => BackboneManifestReader.Read(Path.Combine(Root, name));

    internal OnnxBackboneSession Session(BackboneManifest manifest, LaneOptions options) =>
        new(manifest, Path.Combine(Root, manifest.Name), new DeviceLane("cpu", options with { Devices = "cpu", CpuThreads = 2 }, NullLogger.Instance),
            long.MaxValue);

    internal IInputPreparer Preparer(BackboneManifest manifest) =>
        new OnnxBackboneRuntime(new DeviceLaneSet(new LaneOptions { Devices = "cpu" }, NullLoggerFactory.Instance), long.MaxValue)
            .CreatePreparer(manifest, Path.Combine(Root, manifest.Name));

    /// <summary>The first <paramref name="count"/> Fashion-MNIST images, prepared for <paramref name="manifest"/>.</summary>
    internal PreparedInput[] FashionImages(BackboneManifest manifest, int count, bool train = false)
    {
        var preparer = Preparer(manifest);
        return FashionMnist.Load(train, count).Images.Select(i => preparer.Prepare(new RawPixelsInput(i, 28, 28, 1))).ToArray();
    }

    /// <summary>Runs <paramref name="inputs"/> through the session in batches of at most the manifest's size.</summary>
    internal static float[] Embed(OnnxBackboneSession session, BackboneManifest manifest, IReadOnlyList<PreparedInput> inputs)
    {
        var embeddings = new float[inputs.Count * manifest.Dimension];
        for (var start = 0; start < inputs.Count; start += manifest.MaxBatchSize)
        {
            var batch = inputs.Skip(start).Take(manifest.MaxBatchSize).ToArray();
            session.Run(batch, embeddings.AsSpan(start * manifest.Dimension, batch.Length * manifest.Dimension), CancellationToken.None);
        }
        return embeddings;
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}

[CollectionDefinition(InstalledBuiltins.Collection)]
public sealed class InstalledBuiltinsCollection : ICollectionFixture<InstalledBuiltins>;
