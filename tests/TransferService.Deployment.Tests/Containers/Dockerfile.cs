using System.Text.RegularExpressions;
using TransferService.Deployment.Tests.Infrastructure;

namespace TransferService.Deployment.Tests.Containers;

/// <summary>The Dockerfile's stages: name, base and instructions (continuation lines joined), in file order.</summary>
public sealed partial record Dockerfile(IReadOnlyList<Dockerfile.Stage> Stages)
{
    public sealed record Stage(string Name, string From, IReadOnlyList<string> Instructions);

    public IEnumerable<string> StageNames => Stages.Select(s => s.Name);

    public Stage this[string name] => Stages.Single(s => s.Name == name);

    public static Dockerfile Load()
    {
        var lines = Repository.Read("Dockerfile").Replace("\\\n", " ").Split('\n')
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'));
        var stages = new List<(string Name, string From, List<string> Instructions)>();
        foreach (var line in lines)
        {
            if (FromLine().Match(line) is { Success: true } from) stages.Add((from.Groups[2].Value, from.Groups[1].Value, []));
            else if (stages.Count > 0) stages[^1].Instructions.Add(WhiteSpace().Replace(line, " "));
        }
        return new Dockerfile(stages.Select(s => new Stage(s.Name, s.From, s.Instructions)).ToArray());
    }

    [GeneratedRegex(@"^FROM\s+(\S+)\s+AS\s+(\S+)$", RegexOptions.IgnoreCase)]
    private static partial Regex FromLine();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
