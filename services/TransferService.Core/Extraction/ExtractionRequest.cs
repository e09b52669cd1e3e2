using TransferService.Core.Heads;
using TransferService.Core.Scheduling;

namespace TransferService.Core.Extraction;

/// <summary>StartExtraction as the caller sent it, before validation.</summary>
public sealed record ExtractionRequest(string Tenant, string Backbone, ExtractionSourceKind? SourceKind, string Source, bool Normalize,
    IReadOnlyList<HeadReference> Heads, Priority Priority, string? IdempotencyKey);
