namespace TransferService.Client.Extractions;

/// <summary>The files of a succeeded extraction job, downloaded into one folder under the names the server gives them.</summary>
/// <param name="EmbeddingsPath">embeddings.npy: float32 [rows, dimension].</param>
/// <param name="IdsPath">ids.txt: one id per row, in the rows' order.</param>
/// <param name="PredictionsPath">predictions.npy: float32 [rows, columns], the heads' calibrated probabilities side by
/// side; null when the job classified with no heads.</param>
/// <param name="ColumnsPath">columns.txt: one <c>&lt;head&gt; v&lt;version&gt;:&lt;label&gt;</c> per column of
/// predictions.npy; null with it.</param>
public sealed record ExtractionFiles(string EmbeddingsPath, string IdsPath, string? PredictionsPath, string? ColumnsPath);
