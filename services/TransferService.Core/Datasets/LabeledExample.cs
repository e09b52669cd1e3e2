using TransferService.Core.Inputs;

namespace TransferService.Core.Datasets;

public sealed record LabeledExample(EmbeddingInput Input, string Label);
