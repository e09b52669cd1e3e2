using System.Diagnostics;
using System.Text.Json;

namespace TransferService.Onnx.Tests.Preprocessing;

/// <summary>Runs Hugging Face's BERT tokenizer (tests/reference/tokenize.mjs, npm package tokenizers) on the
/// repository's tokenizer corpus. A missing node or package fails the test that asked, with what to install.</summary>
public static class ReferenceTokenizer
{
    public static string ReferenceFolder { get; } = Path.Combine(FindRepositoryRoot(), "tests", "reference");
    public static string CorpusPath => Path.Combine(ReferenceFolder, "tokenizer-corpus.jsonl");

    /// <summary>The corpus texts, one per non-empty line (each line is a JSON string).</summary>
    public static IReadOnlyList<string> ReadCorpus() =>
        File.ReadAllLines(CorpusPath).Where(line => line.Trim().Length > 0)
            .Select(line => JsonSerializer.Deserialize<string>(line)!).ToList();

    /// <summary>The reference ids ([CLS] … [SEP]) of each corpus line, in corpus order.</summary>
    public static IReadOnlyList<long[]> EncodeCorpus(string vocabularyPath, bool lowercase)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = ReferenceFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "tokenize.mjs", vocabularyPath, CorpusPath }) start.ArgumentList.Add(argument);
        if (!lowercase) start.ArgumentList.Add("--no-lowercase");

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"the tokenizer reference needs node on the PATH ({e.Message}); .ci/run installs the rest", e);
        }
        using (process)
        {
            var errors = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new InvalidOperationException(
                    $"the tokenizer reference failed (exit {process.ExitCode}); run `npm install` in {ReferenceFolder} (.ci/run does):\n{errors.Result}");
            return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => JsonSerializer.Deserialize<long[]>(line)!).ToList();
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "TransferService.sln"))) return folder.FullName;
        throw new InvalidOperationException($"no TransferService.sln above {AppContext.BaseDirectory}");
    }
}
