using System.Text.Json;
using System.Text.Json.Serialization;
using TransferService.Core.Errors;

namespace TransferService.Core.Backbones;

/// <summary>Reads and validates <c>backbone.json</c>. Every rejection is an InvalidArgument naming the field.</summary>
public static class BackboneManifestReader
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        // "output": null would otherwise reach the validator as a null string.
        RespectNullableAnnotations = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
    };

    public static BackboneManifest Read(string folder)
    {
        var name = Path.GetFileName(folder);
        if (!File.Exists(Path.Combine(folder, BackboneManifest.FileName)))
            throw new TransferException(ErrorCode.NotFound, $"backbone '{name}' has no backbone.json", "backbone.json");
        var bytes = BackboneFile.ReadAllBytes(folder, BackboneManifest.FileName, "backbone.json", BackboneFile.MaxManifestBytes);
        // StreamReader, as File.ReadAllText did, so a byte-order mark is not part of the JSON.
        using var reader = new StreamReader(new MemoryStream(bytes));
        return Parse(reader.ReadToEnd(), name);
    }

    public static BackboneManifest Parse(string json, string folderName)
    {
        BackboneManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<BackboneManifest>(json, Options);
        }
        catch (JsonException e)
        {
            var field = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "backbone.json" : FieldOf(e.Path);
            throw TransferException.Invalid(field, $"backbone.json: {FirstLine(e.Message)}");
        }
        if (manifest is null) throw TransferException.Invalid("backbone.json", "backbone.json is empty");
        if (manifest.Name.Length == 0) manifest = manifest with { Name = folderName };
        BackboneManifestValidator.Validate(manifest);
        return manifest;
    }

    /// <summary>The manifest field of a JSON path: "$.image.background[1]" → "image.background", the name the
    /// validator uses for the same field.</summary>
    private static string FieldOf(string path)
    {
        var field = path.TrimStart('$', '.');
        var index = field.IndexOf('[');
        return index > 0 ? field[..index] : field;
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOf(". Path:", StringComparison.Ordinal);
        return end > 0 ? message[..end] : message;
    }
}
