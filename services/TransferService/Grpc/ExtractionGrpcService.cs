using Google.Protobuf;
using Grpc.Core;
using TransferService.Contracts.V1;
using TransferService.Core.Extraction;
using TransferService.Security;

namespace TransferService.Grpc;

/// <summary>Feature extraction jobs of the caller's tenant.</summary>
internal sealed class ExtractionGrpcService(Core.Extraction.ExtractionService extraction) : Contracts.V1.ExtractionService.ExtractionServiceBase
{
    private const int DownloadChunkBytes = 1 << 20;

    public override Task<StartExtractionResponse> StartExtraction(StartExtractionRequest request, ServerCallContext context)
    {
        var (kind, source) = request.SourceCase switch
        {
            StartExtractionRequest.SourceOneofCase.DatasetId => (ExtractionSourceKind.Dataset, request.DatasetId),
            StartExtractionRequest.SourceOneofCase.Folder => (ExtractionSourceKind.Folder, request.Folder),
            StartExtractionRequest.SourceOneofCase.JsonlFile => (ExtractionSourceKind.Jsonl, request.JsonlFile),
            StartExtractionRequest.SourceOneofCase.CsvFile => (ExtractionSourceKind.Csv, request.CsvFile),
            _ => ((ExtractionSourceKind?)null, ""),
        };
        var job = extraction.Start(new ExtractionRequest(context.Tenant(), request.Backbone, kind, source, request.Normalize,
            request.Heads.Select(HeadMapper.ToCore).ToArray(), JobMapper.ToCore(request.Priority, "priority"),
            request.IdempotencyKey.Length > 0 ? request.IdempotencyKey : null), context.CancellationToken);
        return Task.FromResult(new StartExtractionResponse { Job = JobMapper.ToContract(job) });
    }

    public override async Task DownloadExtraction(DownloadExtractionRequest request, IServerStreamWriter<DownloadExtractionResponse> responseStream,
        ServerCallContext context)
    {
        await using var file = extraction.OpenDownload(request.JobId, context.Tenant(), request.File switch
        {
            Contracts.V1.ExtractionFile.Embeddings => Core.Extraction.ExtractionFile.Embeddings,
            Contracts.V1.ExtractionFile.Ids => Core.Extraction.ExtractionFile.Ids,
            Contracts.V1.ExtractionFile.Predictions => Core.Extraction.ExtractionFile.Predictions,
            Contracts.V1.ExtractionFile.PredictionColumns => Core.Extraction.ExtractionFile.PredictionColumns,
            _ => null,
        });
        var total = (ulong)file.Length;
        var buffer = new byte[(int)Math.Min(DownloadChunkBytes, Math.Max(file.Length, 1))];
        var first = true;
        int read;
        while ((read = await file.ReadAsync(buffer, context.CancellationToken)) > 0 || first)
        {
            var message = new DownloadExtractionResponse { Chunk = ByteString.CopyFrom(buffer, 0, read) };
            if (first) message.TotalBytes = total;
            await responseStream.WriteAsync(message, context.CancellationToken);
            first = false;
        }
    }
}
