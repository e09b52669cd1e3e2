namespace TransferService.Core.Datasets;

/// <summary>A stored dataset: immutable once uploaded. <see cref="LabelCounts"/> is ordered by label;
/// <see cref="Modalities"/> says which backbones can embed it.</summary>
public sealed record DatasetInfo(string Id, string Name, int Count, IReadOnlyDictionary<string, int> LabelCounts,
    IReadOnlyList<Backbones.Modality> Modalities, DateTimeOffset Created);
