using Grpc.Core;
using TransferService.Client.Errors;
using TransferService.Contracts.V1;

namespace TransferService.Client.Extractions;

/// <summary>Downloads every file of a succeeded extraction job. Each streams to a temporary file beside its target and
/// is renamed into place once the server's announced size has arrived, so a cut or cancelled download leaves no
/// partial file under a real name.</summary>
internal static class ExtractionDownloader
{
    public static async Task<ExtractionFiles> DownloadAsync(ExtractionService.ExtractionServiceClient extraction, string jobId, string folder,
        CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var embeddings = await FileAsync(ExtractionFile.Embeddings, "embeddings.npy");
        var ids = await FileAsync(ExtractionFile.Ids, "ids.txt");
        string? predictions;
        try
        {
            predictions = await FileAsync(ExtractionFile.Predictions, "predictions.npy");
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound && TransferError.From(e).Field == "file")
        {
            return new ExtractionFiles(embeddings, ids, null, null);     // the job classified with no heads
        }
        return new ExtractionFiles(embeddings, ids, predictions, await FileAsync(ExtractionFile.PredictionColumns, "columns.txt"));

        Task<string> FileAsync(ExtractionFile file, string name) =>
            DownloadFileAsync(extraction, new DownloadExtractionRequest { JobId = jobId, File = file }, Path.Combine(folder, name), cancellationToken);
    }

    private static async Task<string> DownloadFileAsync(ExtractionService.ExtractionServiceClient extraction, DownloadExtractionRequest request,
        string path, CancellationToken cancellationToken)
    {
        var partial = path + ".partial";
        try
        {
            using var call = extraction.DownloadExtraction(request, cancellationToken: cancellationToken);
            ulong? announced = null;
            ulong received = 0;
            await using (var file = File.Create(partial))
            {
                while (await call.ResponseStream.MoveNext(cancellationToken))
                {
                    var message = call.ResponseStream.Current;
                    announced ??= message.TotalBytes;
                    message.Chunk.WriteTo(file);
                    received += (ulong)message.Chunk.Length;
                }
            }
            if (received != announced)
                throw new InvalidDataException($"the download of {Path.GetFileName(path)} ended after {received} of {announced ?? 0} bytes");
            File.Move(partial, path, overwrite: true);
            return path;
        }
        finally
        {
            File.Delete(partial);
        }
    }
}
