using System.Diagnostics;
using k8s;
using k8s.Models;
using TransferService.Tests.Infrastructure;

namespace TransferService.Deployment.Tests.Kubernetes;

/// <summary>Rendered manifests checked as the API server would check them, offline, in two passes: KubernetesClient's
/// strict load (an unknown field, a value of the wrong type or an unknown kind is an error, as
/// <c>kubectl apply --validate=strict</c> refuses them), then kubernetes-models' schema validation (required fields,
/// enums, quantities), which the client's types do not check.</summary>
public sealed record Manifests(IReadOnlyList<IKubernetesObject> Objects)
{
    public const string KubernetesModelsVersion = "5.1.0";

    /// <summary>Throws <see cref="YamlDotNet.Core.YamlException"/> on what the strict load refuses, and
    /// <see cref="InvalidDataException"/> naming each object the schemas refuse.</summary>
    public static Manifests Load(string yaml)
    {
        var objects = KubernetesYaml.LoadAllFromString(yaml, strict: true)
            .Select(o => o as IKubernetesObject ?? throw new InvalidDataException($"not a Kubernetes object: {o}"))
            .ToArray();
        var schemaErrors = SchemaErrors(objects);
        if (schemaErrors.Length > 0) throw new InvalidDataException(schemaErrors);
        return new Manifests(objects);
    }

    public T Single<T>() => Assert.Single(Objects.OfType<T>());

    public V1Deployment Deployment => Single<V1Deployment>();

    public V1Container Container => Assert.Single(Deployment.Spec.Template.Spec.Containers);

    private static string SchemaErrors(IReadOnlyList<IKubernetesObject> objects)
    {
        var tool = Path.Combine(TestDataFolder.Root, "tools", $"kubernetes-models-{KubernetesModelsVersion}");
        if (!Directory.Exists(tool)) throw new DirectoryNotFoundException(TestDataFolder.Missing(tool));
        var script = Path.Combine(AppContext.BaseDirectory, "Kubernetes", "validate-objects.js");
        var start = new ProcessStartInfo("node", [script, tool])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var node = Process.Start(start)!;
        node.StandardInput.Write("[" + string.Join(",", objects.Select(o => KubernetesJson.Serialize(o))) + "]");
        node.StandardInput.Close();
        var error = node.StandardError.ReadToEndAsync();
        var output = node.StandardOutput.ReadToEnd();
        node.WaitForExit();
        return node.ExitCode switch
        {
            0 => "",
            1 => output.Trim(),
            _ => throw new InvalidOperationException($"the schema validator failed: {error.Result}"),
        };
    }
}
