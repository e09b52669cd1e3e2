using System.Runtime.InteropServices;

namespace TransferService.TrainingBenchmarks.Dataset;

/// <summary>Embeddings saved as raw little-endian float32, row-major, so a later run skips the backbone.</summary>
internal static class EmbeddingCacheFile
{
    /// <summary>The cached values, or null when the file is missing or does not hold exactly <paramref name="values"/> floats.</summary>
    public static float[]? TryRead(string path, int values)
    {
        if (!File.Exists(path) || new FileInfo(path).Length != (long)values * sizeof(float)) return null;
        var data = new float[values];
        using var stream = File.OpenRead(path);
        stream.ReadExactly(MemoryMarshal.AsBytes(data.AsSpan()));
        return data;
    }

    /// <summary>Writes beside the target and moves it into place, so an interrupted run leaves no short file.</summary>
    public static void Write(string path, float[] data)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        using (var stream = File.Create(temporary))
            stream.Write(MemoryMarshal.AsBytes(data.AsSpan()));
        File.Move(temporary, path, overwrite: true);
    }
}
