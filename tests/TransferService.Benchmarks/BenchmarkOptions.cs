using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;

namespace TransferService.Benchmarks;

/// <summary>The command line: how long to measure, which service concurrencies, which models, where the
/// service keeps its data (reused between runs, so the built-in backbones are installed once).</summary>
internal sealed record BenchmarkOptions
{
    public static readonly string[] KnownModels = ["resnet18", "minilm"];

    public const string Usage = """
        usage: dotnet run -c Release --project tests/TransferService.Benchmarks -- [options]
          --seconds S          measured seconds per row (default 10)
          --warmup S           warm-up seconds before each row (default 2)
          --concurrency LIST   concurrent service callers, one row each (default 1,4,16,32)
          --data DIR           the service's data folder (default ./bench-data)
          --only MODEL         resnet18 or minilm (default both)
          --device DEVICE      cpu or cuda:N, for the service's lane and the bare session alike (default cpu)
          --pairs N            interleaved rounds of bare b32 then the service at the highest concurrency (default 6; 0: none)
          --pair-seconds S     measured seconds of each half of a round (default 3)
          --mixed-text N       only the mixed-length text mode: N callers send SpamAssassin emails to minilm, token-length
                               grouping off then on; items/s and padding fraction of each (default 0: off)
          --mode MODE          embed (the rows above), extraction (job vs EmbedStream vs bare, and latency under load) or
                               datapath (in-graph vs host normalisation and pooling, --pairs rounds at 1 caller and the
                               highest --concurrency) or device (bare IOBinding vs the service's data-path variants,
                               for a GPU: see tools/gpu/README.md) or stages (bare b1, then the service at each
                               --concurrency split into the service's own spans: request, preprocess, queue wait, inference)
                               or path (the CPU time per image of the service's own path: a backbone that costs
                               nothing, bare and served, beside resnet18)
          --device-batch N     device mode: items per bare run and the variants' maxBatchSize (default 256)
          --items-per-call N   device and path modes: inputs per Embed call (default 16)
          --items N            extraction mode: rows per extraction job and per EmbedStream pass (default 512)
          --rounds N           extraction mode: interleaved rounds of bare, EmbedStream and a job (default 3)
          --set KEY=VALUE      a service setting (embed, extraction, device, stages and path modes) (e.g. Kestrel:Limits:Http2:InitialConnectionWindowSize=33554432); repeatable
        """;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);
    public IReadOnlyList<int> Concurrency { get; init; } = [1, 4, 16, 32];
    public string DataFolder { get; init; } = Path.GetFullPath("bench-data");
    public IReadOnlyList<string> Models { get; init; } = KnownModels;
    public string Device { get; init; } = "cpu";
    /// <summary>Rounds that alternate bare and service at saturation: the machine's speed drifts between
    /// rows far more than the service costs, so the ratio is taken within a round, bare and service seconds apart.</summary>
    public int Pairs { get; init; } = 6;
    public TimeSpan PairDuration { get; init; } = TimeSpan.FromSeconds(3);
    /// <summary>Callers of the mixed-length text mode; 0 runs the model rows instead.</summary>
    public int MixedTextCallers { get; init; }
    /// <summary>"embed" (Embed calls against bare sessions), "extraction" (see ExtractionBenchmark) or "datapath" (see DataPathBenchmark).</summary>
    public string Mode { get; init; } = "embed";
    public int Items { get; init; } = 512;
    public int DeviceBatch { get; init; } = 256;
    public int ItemsPerCall { get; init; } = 16;
    public int Rounds { get; init; } = 3;
    /// <summary>Service settings on top of each mode's own (--set).</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>False with a null <paramref name="error"/> when help was asked for.</summary>
    public static bool TryParse(string[] args, [NotNullWhen(true)] out BenchmarkOptions? options, out string? error)
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

    private static BenchmarkOptions Parse(string[] args)
    {
        var options = new BenchmarkOptions();
        for (var i = 0; i < args.Length; i += 2)
        {
            var (name, value) = (args[i], i + 1 < args.Length ? args[i + 1] : throw new FormatException($"{args[i]} needs a value"));
            options = name switch
            {
                "--seconds" => options with { Duration = TimeSpan.FromSeconds(Positive(value)) },
                "--warmup" => options with { Warmup = TimeSpan.FromSeconds(Positive(value)) },
                "--concurrency" => options with { Concurrency = value.Split(',').Select(PositiveInteger).ToArray() },
                "--data" => options with { DataFolder = Path.GetFullPath(value) },
                "--only" when KnownModels.Contains(value) => options with { Models = [value] },
                "--pairs" => options with { Pairs = int.TryParse(value, CultureInfo.InvariantCulture, out var pairs) && pairs >= 0 ? pairs : throw new FormatException($"'{value}' is not a whole number") },
                "--mixed-text" => options with { MixedTextCallers = PositiveInteger(value) },
                "--pair-seconds" => options with { PairDuration = TimeSpan.FromSeconds(Positive(value)) },
                "--mode" when value is "embed" or "extraction" or "datapath" or "device" or "stages" or "path" => options with { Mode = value },
                "--device-batch" => options with { DeviceBatch = PositiveInteger(value) },
                "--items-per-call" => options with { ItemsPerCall = PositiveInteger(value) },
                "--items" => options with { Items = PositiveInteger(value) },
                "--rounds" => options with { Rounds = PositiveInteger(value) },
                "--set" when value.Split('=', 2) is [{ Length: > 0 } key, var setting] =>
                    options with { Settings = new Dictionary<string, string?>(options.Settings) { [key] = setting } },
                "--device" when Regex.IsMatch(value, "^(cpu|cuda:[0-9]+)$") => options with { Device = value },
                _ => throw new FormatException($"unknown option or bad value: {name} {value}"),
            };
        }
        return options;
    }

    private static double Positive(string text) =>
        double.TryParse(text, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new FormatException($"'{text}' is not a positive number");

    private static int PositiveInteger(string text) =>
        int.TryParse(text, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new FormatException($"'{text}' is not a positive whole number");
}
