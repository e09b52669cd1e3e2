using Onnx;

namespace TransferService.Onnx.Graphs;

/// <summary>Drops the nodes and initializers no graph output depends on (minilm's BERT pooler, once the embedding is
/// the only output), so neither their compute nor their weights reach the device.</summary>
internal static class GraphPruning
{
    public static void Prune(GraphProto graph)
    {
        var needed = new HashSet<string>(graph.Output.Select(o => o.Name));
        var kept = new List<NodeProto>();
        for (var i = graph.Node.Count - 1; i >= 0; i--)
        {
            var node = graph.Node[i];
            if (!node.Output.Any(needed.Contains)) continue;
            kept.Add(node);
            foreach (var input in node.Input) needed.Add(input);
            // A subgraph reads outer values by name: keep them all rather than parse it.
            foreach (var attribute in node.Attribute.Where(a => a.G is not null || a.Graphs.Count > 0))
                foreach (var inner in attribute.Graphs.Append(attribute.G).Where(g => g is not null).SelectMany(g => g!.Node))
                    foreach (var input in inner.Input) needed.Add(input);
        }
        kept.Reverse();
        graph.Node.Clear();
        graph.Node.AddRange(kept);
        var unused = graph.Initializer.Where(t => !needed.Contains(t.Name)).ToArray();
        foreach (var tensor in unused) graph.Initializer.Remove(tensor);
        var unusedInputs = graph.Input.Where(i => !needed.Contains(i.Name)).ToArray();
        foreach (var input in unusedInputs) graph.Input.Remove(input);
    }
}
