using TransferService.Core.Backbones;
using TransferService.Core.Inputs;

namespace TransferService.Core.Embeddings;

/// <summary>Embeddings of a batch, packed row-major (<c>Reports.Count × Manifest.Dimension</c>).</summary>
public sealed record EmbeddingResult(BackboneManifest Manifest, float[] Embeddings, IReadOnlyList<InputReport> Reports);
