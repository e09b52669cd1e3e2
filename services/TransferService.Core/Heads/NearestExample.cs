namespace TransferService.Core.Heads;

/// <summary>A labelled training example close to an input: its dataset, its index in that dataset (upload order,
/// from 0), its label and the cosine similarity of the two embeddings (centred on the training mean).</summary>
public sealed record NearestExample(string DatasetId, int Index, string Label, float Similarity);
