namespace TransferService.Benchmarks.Measuring;

/// <summary>Decode + resize + normalise of one format through the service's own preparer: images/s on one thread and on
/// every core, against the model's best bare images/s on the same machine.</summary>
internal sealed record DecodeThroughput(string Format, double AverageKb, double PerCore, double AllCores, int Cores, double ModelImagesPerSecond)
{
    /// <summary>Cores that decoding takes to keep up with the model.</summary>
    public double CoresToKeepUp => ModelImagesPerSecond / PerCore;
}
