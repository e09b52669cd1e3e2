using TransferService.Contracts.V1;

namespace TransferService.Benchmarks.Workloads;

internal static class GroupedRequests
{
    /// <summary>The workload's one-item requests merged into requests of <paramref name="itemsPerCall"/> items for
    /// <paramref name="backbone"/>, one starting at each input.</summary>
    public static List<EmbedRequest> Of(IWorkload workload, int itemsPerCall, string backbone)
    {
        var inputs = workload.CreateRequests().SelectMany(r => r.Inputs).ToArray();
        return Enumerable.Range(0, inputs.Length).Select(first => new EmbedRequest
        {
            Backbone = backbone,
            Inputs = { Enumerable.Range(0, itemsPerCall).Select(i => inputs[(first + i) % inputs.Length]) },
        }).ToList();
    }
}
