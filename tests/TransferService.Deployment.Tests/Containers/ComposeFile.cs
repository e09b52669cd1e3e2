using YamlDotNet.RepresentationModel;

namespace TransferService.Deployment.Tests.Containers;

/// <summary>docker-compose.yml as Compose reads it: services with their <c>&lt;&lt;: *anchor</c> merges applied.</summary>
public sealed class ComposeFile(YamlMappingNode root)
{
    public static ComposeFile Load(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return new ComposeFile((YamlMappingNode)stream.Documents[0].RootNode);
    }

    public IReadOnlyList<string> ServiceNames =>
        ((YamlMappingNode)root["services"]).Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToArray();

    public YamlMappingNode Service(string name) => Merged((YamlMappingNode)root["services"][name]);

    public static string? Scalar(YamlMappingNode node, params string[] path)
    {
        YamlNode current = node;
        foreach (var key in path)
        {
            if (current is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out var next)) return null;
            current = next;
        }
        return (current as YamlScalarNode)?.Value;
    }

    public static IReadOnlyList<string> Strings(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlSequenceNode sequence
            ? sequence.Children.Select(c => ((YamlScalarNode)c).Value!).ToArray()
            : [];

    /// <summary>The service's own keys over those of the mapping its "&lt;&lt;" key merges in (YAML merge keys).</summary>
    private static YamlMappingNode Merged(YamlMappingNode service)
    {
        var merged = new YamlMappingNode();
        if (service.Children.TryGetValue(new YamlScalarNode("<<"), out var inherited))
            foreach (var (key, value) in ((YamlMappingNode)inherited).Children) merged.Children[key] = value;
        foreach (var (key, value) in service.Children)
            if (((YamlScalarNode)key).Value != "<<") merged.Children[key] = value;
        return merged;
    }
}
