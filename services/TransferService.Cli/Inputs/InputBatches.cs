using TransferService.Contracts.V1;

namespace TransferService.Cli.Inputs;

/// <summary>Cuts a lazy sequence of inputs into request-sized batches: at most <c>maxItems</c> and about
/// <c>maxBytes</c> each (one larger input goes alone), so memory holds one batch whatever the number of files.</summary>
public static class InputBatches
{
    /// <summary>Well under the server's default 64 MiB message limit, and small enough to keep a call short.</summary>
    public const int MaxBytes = 4 * 1024 * 1024;

    public static IEnumerable<List<(string Id, Input Input)>> Cut(IEnumerable<(string Id, Input Input)> inputs, int maxItems, int maxBytes = MaxBytes)
    {
        var batch = new List<(string Id, Input Input)>();
        var bytes = 0;
        foreach (var item in inputs)
        {
            var size = item.Input.CalculateSize();
            if (batch.Count > 0 && (batch.Count >= maxItems || bytes + size > maxBytes))
            {
                yield return batch;
                batch = [];
                bytes = 0;
            }
            batch.Add(item);
            bytes += size;
        }
        if (batch.Count > 0) yield return batch;
    }
}
