using TransferService.Core.Errors;
using TransferService.Core.Heads;

namespace TransferService.Core.Tests.Heads;

public sealed class NeighbourIndexTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("neighbour-index").FullName;

    /// <summary>Two tight clusters of 200 rows each in 8 dimensions, around +e0 and -e0 (label 0 and 1).</summary>
    private static (float[] Features, int[] Labels) Clusters()
    {
        var random = new Random(3);
        var features = new float[400 * 8];
        var labels = new int[400];
        for (var r = 0; r < 400; r++)
        {
            labels[r] = r % 2;
            for (var j = 0; j < 8; j++) features[r * 8 + j] = (float)(random.NextDouble() - 0.5) * 0.2f;
            features[r * 8] += labels[r] == 0 ? 1 : -1;
        }
        return (features, labels);
    }

    [Fact]
    public void Nearest_RowOfTheIndex_FindsItselfFirstUnlessSkipped()
    {
        var (features, labels) = Clusters();
        var index = NeighbourIndex.Build("ds", features, labels, 8);
        var query = index.Query(features.AsSpan(7 * 8, 8));

        var nearest = index.Nearest(query, 3);
        var heldOut = index.Nearest(query, 3, skipRow: 7);

        Assert.Equal(7, nearest[0].Row);
        Assert.Equal(1f, nearest[0].Similarity, 1e-5f);
        Assert.True(nearest[0].Similarity >= nearest[1].Similarity && nearest[1].Similarity >= nearest[2].Similarity);
        Assert.DoesNotContain(heldOut, n => n.Row == 7);
        Assert.All(heldOut, n => Assert.Equal(labels[7], index.Labels[n.Row]));
    }

    [Fact]
    public void FitThreshold_Clusters_FifthPercentileKeepsMembersAndRejectsAPointBetweenThem()
    {
        var (features, labels) = Clusters();
        var index = NeighbourIndex.Build("ds", features, labels, 8);

        var threshold = index.FitThreshold();
        var members = Enumerable.Range(0, 400).Count(r => index.Familiarity(index.Vectors.AsSpan(r * 8, 8), r) >= threshold);
        float[] between = [0, 1, 0, 0, 0, 0, 0, 0];

        Assert.InRange(members, 375, 385); // 95 % of 400, held out
        Assert.True(index.Familiarity(index.Query(between)) < threshold);
    }

    [Fact]
    public void Build_OverMaxRows_KeepsAnEvenSampleWithDatasetIndices()
    {
        var rows = NeighbourIndex.MaxRows + 10;
        var features = Enumerable.Range(0, rows * 2).Select(i => (float)(i % 7)).ToArray();

        var index = NeighbourIndex.Build("ds", features, new int[rows], 2);

        Assert.True(index.Count <= NeighbourIndex.MaxRows);
        Assert.Equal([0, 2, 4], index.Examples[..3]);
    }

    [Fact]
    public void Add_WithIndex_ReadsBackTheSameIndexAndDeleteRemovesIt()
    {
        var (features, labels) = Clusters();
        var index = NeighbourIndex.Build("ds", features, labels, 8);
        var store = new HeadStore(_root);

        var stored = store.Add(HeadStoreTests.Head("h"), index);
        var read = store.ReadNeighbours("h", stored.Version)!;

        Assert.Equal(("ds", 400, 8), (read.DatasetId, read.Count, read.Dimension));
        Assert.Equal(index.Vectors, read.Vectors);
        Assert.Equal(index.Labels, read.Labels);
        Assert.Equal(index.Mean, read.Mean);
        Assert.Null(store.ReadNeighbours("h", store.Add(HeadStoreTests.Head("h")).Version));
        store.Delete(new HeadReference("h", stored.Version));
        Assert.False(File.Exists(Path.Combine(_root, "h", $"v{stored.Version}.neighbours")));
    }

    [Fact]
    public void ReadNeighbours_AlteredFile_FailedPrecondition()
    {
        var (features, labels) = Clusters();
        var store = new HeadStore(_root);
        var stored = store.Add(HeadStoreTests.Head("h"), NeighbourIndex.Build("ds", features, labels, 8));
        var path = Path.Combine(_root, "h", "v1.neighbours");
        var bytes = File.ReadAllBytes(path);
        bytes[100] ^= 1;
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<TransferException>(() => store.ReadNeighbours("h", stored.Version));

        Assert.Equal(ErrorCode.FailedPrecondition, error.Code);
        Assert.DoesNotContain(_root, error.Message);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
