using TransferService.Core.Backbones;
using TransferService.Core.Embeddings;
using TransferService.Core.Inputs;

namespace TransferService.Core.Tests.Embeddings;

/// <summary>The cache is an optimisation: an entry that cannot be read is a miss, and a write that fails is
/// skipped, so a damaged cache never fails an embedding or a training job.</summary>
public sealed class EmbeddingCacheTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"cache-{Guid.NewGuid():N}");
    private readonly BackboneManifest _backbone = new() { Name = "b", Modality = Modality.Text, Output = "y", Dimension = 3 };

    [Fact]
    public void TryGet_AfterPut_ReturnsTheEmbedding()
    {
        var cache = new EmbeddingCache(_root);
        var key = EmbeddingCache.Key(new TextInput("hello"));
        cache.Put(_backbone, key, [1f, 2f, 3f]);

        var read = new float[3];
        Assert.True(cache.TryGet(_backbone, key, read));
        Assert.Equal([1f, 2f, 3f], read);
    }

    [Fact]
    public void TryGet_EntryTruncatedOrUnreadable_IsAMiss()
    {
        var cache = new EmbeddingCache(_root);
        var truncated = EmbeddingCache.Key(new TextInput("a"));
        var unreadable = EmbeddingCache.Key(new TextInput("b"));
        cache.Put(_backbone, truncated, [1f, 2f, 3f]);
        cache.Put(_backbone, unreadable, [1f, 2f, 3f]);
        var entries = Directory.GetFiles(_root, "*.f32", SearchOption.AllDirectories);
        File.WriteAllBytes(entries.Single(f => Path.GetFileName(f).StartsWith(truncated)), [1, 2, 3]);
        var blocked = entries.Single(f => Path.GetFileName(f).StartsWith(unreadable));
        File.Delete(blocked);
        Directory.CreateDirectory(blocked);

        Assert.False(cache.TryGet(_backbone, truncated, new float[3]));
        Assert.False(cache.TryGet(_backbone, unreadable, new float[3]));
    }

    [Fact]
    public void Put_WhereTheCacheCannotBeWritten_SkipsWithoutThrowing()
    {
        File.WriteAllText(_root, "a file where the cache folder should be");
        var cache = new EmbeddingCache(_root);

        cache.Put(_backbone, EmbeddingCache.Key(new TextInput("c")), [1f, 2f, 3f]);

        Assert.False(cache.TryGet(_backbone, EmbeddingCache.Key(new TextInput("c")), new float[3]));
    }

    public void Dispose()
    {
        if (File.Exists(_root)) File.Delete(_root);
        else if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }
}
