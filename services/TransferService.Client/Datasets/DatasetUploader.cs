using Grpc.Core;
using TransferService.Contracts.V1;

namespace TransferService.Client.Datasets;

/// <summary>Streams examples to <c>UploadDataset</c> in bounded messages, reading each example only when its message
/// is next. The dataset exists once the stream completes; a cancelled upload stores nothing.</summary>
internal static class DatasetUploader
{
    public static async Task<Dataset> UploadAsync(DatasetService.DatasetServiceClient datasets, string name,
        IEnumerable<LabeledExample> examples, DatasetUploadOptions options, CancellationToken cancellationToken)
    {
        using var call = datasets.UploadDataset(cancellationToken: cancellationToken);
        try
        {
            foreach (var message in Messages(name, examples, options))
                await call.RequestStream.WriteAsync(message, cancellationToken);
            await call.RequestStream.CompleteAsync();
        }
        catch (RpcException)
        {
            // The server refused the upload and closed the stream: its answer below carries the status and field.
        }
        return (await call.ResponseAsync).Dataset;
    }

    internal static IEnumerable<UploadDatasetRequest> Messages(string name, IEnumerable<LabeledExample> examples,
        DatasetUploadOptions options)
    {
        var message = new UploadDatasetRequest { Name = name };
        var bytes = 0;
        foreach (var example in examples)
        {
            var size = example.CalculateSize();
            if (message.Examples.Count > 0 &&
                (bytes + size > options.MaxMessageBytes || message.Examples.Count >= options.MaxExamplesPerMessage))
            {
                yield return message;
                message = new UploadDatasetRequest();
                bytes = 0;
            }
            message.Examples.Add(example);
            bytes += size;
        }
        if (message.Examples.Count > 0 || bytes == 0) yield return message;
    }
}
