using System.Diagnostics;
using System.Text.Json;
using TransferService.Core.Extraction;
using TransferService.Core.Heads;

namespace TransferService.TrainingBenchmarks.Reference;

/// <summary>Runs logistic_regression_cv.py (scikit-learn's LogisticRegressionCV) with Debian's python3 on the same
/// embeddings, written as .npy files to a temporary folder. Needs <c>apt-get install -y python3-sklearn</c>.</summary>
internal static class SklearnReference
{
    private const string Python = "/usr/bin/python3";

    public sealed record Outcome(double Accuracy, double MacroF1, double C, double Seconds);

    /// <summary>The outcome saved in <paramref name="cacheFile"/> by an earlier run on the same embeddings (it is
    /// deterministic and takes minutes), else a fresh fit, saved there.</summary>
    public static Outcome FitCached(TrainingData train, TrainingData test, string cacheFile)
    {
        if (File.Exists(cacheFile)) return JsonSerializer.Deserialize<Outcome>(File.ReadAllText(cacheFile))!;
        var outcome = Fit(train, test);
        File.WriteAllText(cacheFile, JsonSerializer.Serialize(outcome));
        return outcome;
    }

    private static Outcome Fit(TrainingData train, TrainingData test)
    {
        var folder = Directory.CreateTempSubdirectory("reference-");
        try
        {
            Write(Path.Combine(folder.FullName, "train_x.npy"), train.Features, train.Count, train.Dimension);
            Write(Path.Combine(folder.FullName, "train_y.npy"), train.Labels.Select(l => (float)l).ToArray(), train.Count, 1);
            Write(Path.Combine(folder.FullName, "test_x.npy"), test.Features, test.Count, test.Dimension);
            Write(Path.Combine(folder.FullName, "test_y.npy"), test.Labels.Select(l => (float)l).ToArray(), test.Count, 1);
            var script = Path.Combine(AppContext.BaseDirectory, "Reference", "logistic_regression_cv.py");
            using var process = Process.Start(new ProcessStartInfo(Python, [script, folder.FullName]) { RedirectStandardOutput = true, RedirectStandardError = true })
                ?? throw new InvalidOperationException($"{Python} did not start");
            var errors = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"scikit-learn reference failed ({process.ExitCode}); is python3-sklearn installed? {errors.Result}");
            using var json = JsonDocument.Parse(output);
            var r = json.RootElement;
            return new Outcome(r.GetProperty("accuracy").GetDouble(), r.GetProperty("macro_f1").GetDouble(), r.GetProperty("c").GetDouble(), r.GetProperty("seconds").GetDouble());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static void Write(string path, float[] values, int rows, int columns)
    {
        NpyFile.Create(path, rows, columns);
        NpyFile.WriteRows(path, rows, columns, 0, values);
    }
}
