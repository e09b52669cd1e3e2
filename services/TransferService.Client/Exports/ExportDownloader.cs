using System.Text.Json;
using TransferService.Contracts.V1;

namespace TransferService.Client.Exports;

/// <summary>Streams an export into place (<see cref="PartialFile"/>: a cut or cancelled download leaves no half model
/// under the target's name), then writes the labels and preprocessing beside it.</summary>
internal static class ExportDownloader
{
    public static async Task<HeadExport> DownloadAsync(HeadService.HeadServiceClient heads, HeadReference head,
        string modelPath, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> labels = [], inputs = [];
        var output = "";
        await PartialFile.WriteAsync(modelPath, async file =>
        {
            using var call = heads.ExportHead(new ExportHeadRequest { Head = head }, cancellationToken: cancellationToken);
            var first = true;
            while (await call.ResponseStream.MoveNext(cancellationToken))
            {
                var message = call.ResponseStream.Current;
                if (first)
                {
                    labels = [.. message.Labels];
                    inputs = [.. message.InputNames];
                    output = message.OutputName;
                    first = false;
                }
                message.Chunk.WriteTo(file);
            }
        });

        var metadata = OnnxMetadata.Read(modelPath);
        if (labels.Count == 0 && metadata.TryGetValue("labels", out var labelsJson))
            labels = JsonSerializer.Deserialize<string[]>(labelsJson) ?? [];
        var preprocessing = metadata.GetValueOrDefault("preprocessing", "");
        var stem = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(modelPath))!, Path.GetFileNameWithoutExtension(modelPath));
        var labelsPath = stem + ".labels.json";
        var preprocessingPath = stem + ".preprocessing.json";
        await File.WriteAllTextAsync(labelsPath, JsonSerializer.Serialize(labels), cancellationToken);
        await File.WriteAllTextAsync(preprocessingPath, Indented(preprocessing), cancellationToken);
        return new HeadExport(modelPath, labelsPath, preprocessingPath, labels, inputs, output, preprocessing);
    }

    private static string Indented(string json)
    {
        if (json.Length == 0) return "{}";
        using var document = JsonDocument.Parse(json);
        return JsonSerializer.Serialize(document.RootElement, new JsonSerializerOptions { WriteIndented = true });
    }
}
