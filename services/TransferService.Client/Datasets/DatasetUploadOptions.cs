namespace TransferService.Client.Datasets;

/// <summary>How an upload is cut into stream messages: each holds at most <see cref="MaxExamplesPerMessage"/> examples
/// and about <see cref="MaxMessageBytes"/> of input (an example larger than that goes alone), so neither side holds
/// more than one message of a dataset of any size in memory.</summary>
public sealed record DatasetUploadOptions
{
    public int MaxMessageBytes { get; init; } = 1024 * 1024;
    public int MaxExamplesPerMessage { get; init; } = 256;
}
