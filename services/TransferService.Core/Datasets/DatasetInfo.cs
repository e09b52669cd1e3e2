using System.Text.Json.Serialization;

namespace TransferService.Core.Datasets;

/// <summary>A stored dataset: immutable once uploaded. <see cref="LabelCounts"/> is ordered by label;
/// <see cref="Modalities"/> says which backbones can embed it. In a listing, a dataset whose files are
/// damaged has <see cref="Damaged"/> set (why) and nothing else but its id.</summary>
public sealed record DatasetInfo(string Id, string Name, int Count, IReadOnlyDictionary<string, int> LabelCounts,
    IReadOnlyList<Backbones.Modality> Modalities, DateTimeOffset Created)
{
    [JsonIgnore]
    public string? Damaged { get; init; }

    public static DatasetInfo Unreadable(string id, string reason, DateTimeOffset modified) =>
        new(id, "", 0, new Dictionary<string, int>(), [], modified) { Damaged = reason };
}
