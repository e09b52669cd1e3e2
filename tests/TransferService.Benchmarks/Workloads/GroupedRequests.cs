using TransferService.Contracts.V1;

namespace TransferService.Benchmarks.Workloads;

internal static class GroupedRequests
{
    /// <summary>The workload's one-item requests merged into requests of <paramref name="itemsPerCall"/> items, one
    /// starting at each input; no backbone named (the caller sets it on a clone).</summary>
    public static List<EmbedRequest> Of(IWorkload workload, int itemsPerCall)
    {
        var inputs = workload.CreateRequests().SelectMany(r => r.Inputs).ToArray();
        return Enumerable.Range(0, inputs.Length).Select(first => new EmbedRequest
        {
            Inputs = { Enumerable.Range(0, itemsPerCall).Select(i => inputs[(first + i) % inputs.Length]) },
        }).ToList();
    }
}
