namespace TransferService.Client.Exports;

/// <summary>A downloaded export: the ONNX file and the two JSON files written beside it.</summary>
/// <param name="Labels">The names of the output's columns, in order.</param>
/// <param name="InputNames">The graph's inputs (the backbone's own: pixels, or token ids, mask and type ids).</param>
/// <param name="OutputName">The probabilities output, [N, labels].</param>
/// <param name="Preprocessing">The model's <c>preprocessing</c> metadata (JSON): what to do to an input before the
/// graph; empty for a server that wrote none.</param>
public sealed record HeadExport(
    string ModelPath, string LabelsPath, string PreprocessingPath,
    IReadOnlyList<string> Labels, IReadOnlyList<string> InputNames, string OutputName, string Preprocessing);
