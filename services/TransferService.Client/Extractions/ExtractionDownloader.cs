using Grpc.Core;
using TransferService.Client.Errors;
using TransferService.Contracts.V1;

namespace TransferService.Client.Extractions;

/// <summary>Downloads every file of a succeeded extraction job. Each lands under its name only once the size the server
/// announced has arrived (<see cref="PartialFile"/>): a cut or cancelled download leaves no partial file under a real
/// name.</summary>
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
        await PartialFile.WriteAsync(path, async file =>
        {
            using var call = extraction.DownloadExtraction(request, cancellationToken: cancellationToken);
            ulong? announced = null;
            ulong received = 0;
            while (await call.ResponseStream.MoveNext(cancellationToken))
            {
                var message = call.ResponseStream.Current;
                announced ??= message.TotalBytes;
                message.Chunk.WriteTo(file);
                received += (ulong)message.Chunk.Length;
            }
            if (received != announced)
                throw new InvalidDataException($"the download of {Path.GetFileName(path)} ended after {received} of {announced ?? 0} bytes");
        });
        return path;
    }
}
