using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;

namespace TransferService.TrainingBenchmarks;

/// <summary>The command line: where the models and the embedding cache live, which device trains, how many rounds.</summary>
internal sealed record TrainingBenchmarkOptions
{
    public const string Usage = """
        usage: dotnet run -c Release --project tests/TransferService.TrainingBenchmarks -- [options]
          --data DIR       the service's data folder: models/resnet18/model.onnx, and the embedding cache (default ./bench-data)
          --device DEVICE  cpu or cuda:N: the head runtime's lane and the embedding session's provider (default cpu)
          --repeats N      rounds of every contender; the table shows the median time (default 3)
          --reference      instead: the default head on Fashion-MNIST, SpamAssassin and fortune categories against
                           scikit-learn's LogisticRegressionCV (python3-sklearn) and ML.NET, embedded by the service
          --only NAMES     with --reference: only these of fashion,spam,fortunes (comma-separated)
          --neighbours     instead: the neighbour index's batched search against one-by-one search (familiarity
                           threshold and Classify's search), on random rows up to 100,000 × 768; --repeats rounds
        """;

    public string DataFolder { get; init; } = Path.GetFullPath("bench-data");
    public string Device { get; init; } = "cpu";
    public int Repeats { get; init; } = 3;
    public bool Reference { get; init; }
    public bool Neighbours { get; init; }
    public string[] Only { get; init; } = ["fashion", "spam", "fortunes"];

    public string BackboneFile => Path.Combine(DataFolder, "models", "resnet18", "model.onnx");
    public string EmbeddingCacheFile => Path.Combine(DataFolder, "training-bench-embeddings.f32");

    /// <summary>False with a null <paramref name="error"/> when help was asked for.</summary>
    public static bool TryParse(string[] args, [NotNullWhen(true)] out TrainingBenchmarkOptions? options, out string? error)
    {
        options = null;
        error = null;
        if (args.Any(a => a is "-h" or "--help")) return false;
        try
        {
            options = Parse(args);
            return true;
        }
        catch (FormatException e)
        {
            error = e.Message;
            return false;
        }
    }

    private static TrainingBenchmarkOptions Parse(string[] args)
    {
        var options = new TrainingBenchmarkOptions();
        for (var i = 0; i < args.Length; i += 2)
        {
            if (args[i] is "--reference" or "--neighbours")
            {
                options = args[i] == "--reference" ? options with { Reference = true } : options with { Neighbours = true };
                i--;
                continue;
            }
            var (name, value) = (args[i], i + 1 < args.Length ? args[i + 1] : throw new FormatException($"{args[i]} needs a value"));
            options = name switch
            {
                "--data" => options with { DataFolder = Path.GetFullPath(value) },
                "--device" when Regex.IsMatch(value, "^(cpu|cuda:[0-9]+)$") => options with { Device = value },
                "--only" => options with { Only = value.Split(',') },
                "--repeats" when int.TryParse(value, CultureInfo.InvariantCulture, out var n) && n > 0 => options with { Repeats = n },
                _ => throw new FormatException($"unknown option or bad value: {name} {value}"),
            };
        }
        return options;
    }
}
