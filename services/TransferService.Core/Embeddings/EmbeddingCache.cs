using System.Runtime.InteropServices;
using System.Security.Cryptography;
using TransferService.Core.Backbones;
using TransferService.Core.Datasets;
using TransferService.Core.Inputs;

namespace TransferService.Core.Embeddings;

/// <summary>Embeddings on disk keyed by (backbone name, its whole manifest — version and preprocessing —, SHA-256
/// of the input), so that
/// retraining with other hyperparameters never runs the backbone again. A cache entry can always be
/// recomputed: writes are rename-atomic but not fsync'd.</summary>
public sealed class EmbeddingCache(string root)
{
    public string Root { get; } = Path.GetFullPath(root);

    public static string Key(EmbeddingInput input)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
            ExampleSerializer.Write(writer, new LabeledExample(input, ""));
        return Convert.ToHexStringLower(SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)));
    }

    public bool TryGet(BackboneManifest backbone, string key, Span<float> embedding)
    {
        var path = PathOf(backbone, key);
        if (!File.Exists(path)) return false;
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; } // recomputed instead
        if (bytes.Length != embedding.Length * sizeof(float)) return false;
        MemoryMarshal.Cast<byte, float>(bytes).CopyTo(embedding);
        return true;
    }

    public void Put(BackboneManifest backbone, string key, ReadOnlySpan<float> embedding)
    {
        var path = PathOf(backbone, key);
        var temporary = $"{path}.{Environment.ProcessId}.{Environment.CurrentManagedThreadId}.tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(temporary, MemoryMarshal.AsBytes(embedding).ToArray());
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A cache that cannot be written (full or read-only disk) only makes the next training slower.
            try { File.Delete(temporary); } catch (IOException) { }
        }
    }

    private string PathOf(BackboneManifest backbone, string key)
    {
        var version = Convert.ToHexStringLower(SHA256.HashData(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(backbone)))[..16];
        return Path.Combine(Root, backbone.Name, version, key[..2], key + ".f32");
    }
}
