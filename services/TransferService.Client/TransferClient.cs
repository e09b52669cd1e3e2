using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Health.V1;
using Grpc.Net.Client;
using TransferService.Client.Datasets;
using TransferService.Client.Exports;
using TransferService.Client.Extractions;
using TransferService.Client.Jobs;
using TransferService.Contracts.V1;

namespace TransferService.Client;

/// <summary>One connection to a TransferService: the generated clients of every service, each call carrying the API
/// key when one is given, plus helpers for the multi-step chores (upload a dataset, watch a job, download an export).
/// Owns the channel when it made it (the address constructor) and disposes it; a channel passed in stays the
/// caller's.</summary>
public sealed class TransferClient : IDisposable
{
    private readonly GrpcChannel? _ownedChannel;

    /// <param name="address">For example <c>http://localhost:50051</c>.</param>
    /// <param name="apiKey">Sent as <c>authorization: Bearer &lt;key&gt;</c>; null or empty sends none.</param>
    public TransferClient(string address, string? apiKey = null)
        : this(GrpcChannel.ForAddress(address, new GrpcChannelOptions { MaxReceiveMessageSize = MaxReceiveMessageBytes }), apiKey)
    {
        _ownedChannel = (GrpcChannel)Channel;
    }

    public TransferClient(ChannelBase channel, string? apiKey = null)
    {
        Channel = channel;
        var invoker = string.IsNullOrEmpty(apiKey)
            ? channel.CreateCallInvoker()
            : channel.CreateCallInvoker().Intercept(metadata =>
            {
                metadata.Add("authorization", $"Bearer {apiKey}");
                return metadata;
            });
        Backbones = new BackboneService.BackboneServiceClient(invoker);
        Embeddings = new EmbeddingService.EmbeddingServiceClient(invoker);
        Datasets = new DatasetService.DatasetServiceClient(invoker);
        Heads = new HeadService.HeadServiceClient(invoker);
        Jobs = new JobService.JobServiceClient(invoker);
        Extraction = new ExtractionService.ExtractionServiceClient(invoker);
        Access = new AccessService.AccessServiceClient(invoker);
        Health = new Health.HealthClient(invoker);
    }

    /// <summary>Largest answer accepted (an embedding reply for a big batch); the server bounds what it sends.</summary>
    public const int MaxReceiveMessageBytes = 64 * 1024 * 1024;

    public ChannelBase Channel { get; }
    public BackboneService.BackboneServiceClient Backbones { get; }
    public EmbeddingService.EmbeddingServiceClient Embeddings { get; }
    public DatasetService.DatasetServiceClient Datasets { get; }
    public HeadService.HeadServiceClient Heads { get; }
    public JobService.JobServiceClient Jobs { get; }
    public ExtractionService.ExtractionServiceClient Extraction { get; }
    public AccessService.AccessServiceClient Access { get; }
    public Health.HealthClient Health { get; }

    /// <summary>Uploads an ImageFolder layout (one subfolder per label, images inside) as a dataset.</summary>
    public Task<Dataset> UploadImageFolderAsync(string name, string folder, DatasetUploadOptions? options = null,
        CancellationToken cancellationToken = default) =>
        DatasetUploader.UploadAsync(Datasets, name, ImageFolderLayout.Read(folder), options ?? new(), cancellationToken);

    /// <summary>Uploads a CSV (header with <c>text</c> and <c>label</c> columns) or JSONL (<c>{"text":…,"label":…}</c>
    /// per line) file as a text dataset; the extension (.csv, .jsonl/.json) says which.</summary>
    public Task<Dataset> UploadTextFileAsync(string name, string path, DatasetUploadOptions? options = null,
        CancellationToken cancellationToken = default) =>
        DatasetUploader.UploadAsync(Datasets, name, TextLabelFile.Read(path), options ?? new(), cancellationToken);

    /// <summary>The job's state now, then every change, until it has finished (the last item is terminal). A stream
    /// the network cuts is opened again and goes on from the state as it is then.</summary>
    public IAsyncEnumerable<Job> WatchJobAsync(string jobId, CancellationToken cancellationToken = default) =>
        JobWatcher.WatchAsync(Jobs, jobId, cancellationToken);

    /// <summary>Downloads a head's ONNX export to <paramref name="modelPath"/> and writes its labels
    /// (<c>.labels.json</c>) and preprocessing (<c>.preprocessing.json</c>) beside it.</summary>
    public Task<HeadExport> DownloadExportAsync(HeadReference head, string modelPath, CancellationToken cancellationToken = default) =>
        ExportDownloader.DownloadAsync(Heads, head, modelPath, cancellationToken);

    /// <summary>Downloads the files of a succeeded extraction job into <paramref name="folder"/> (made if missing):
    /// embeddings.npy and ids.txt, and predictions.npy and columns.txt when it classified with heads. Each lands under
    /// its name only once complete.</summary>
    public Task<ExtractionFiles> DownloadExtractionAsync(string jobId, string folder, CancellationToken cancellationToken = default) =>
        ExtractionDownloader.DownloadAsync(Extraction, jobId, folder, cancellationToken);

    public void Dispose() => _ownedChannel?.Dispose();
}
