using TransferService.Deployment.Tests.Infrastructure;

namespace TransferService.Deployment.Tests.Kubernetes;

/// <summary>The overlays under deploy/kubernetes/overlays, rendered by kustomize and validated once per test run each.</summary>
public static class Overlay
{
    public static readonly string[] Names = ["cpu", "gpu", "embedding"];
    private static readonly Dictionary<string, Lazy<string>> Rendered = Names.ToDictionary(
        name => name, name => new Lazy<string>(() => Kustomize.Build(Repository.PathOf($"deploy/kubernetes/overlays/{name}"))));
    private static readonly Dictionary<string, Lazy<Manifests>> Loaded = Names.ToDictionary(
        name => name, name => new Lazy<Manifests>(() => Manifests.Load(Render(name))));

    public static string Render(string name) => Rendered[name].Value;

    /// <summary>The overlay's objects, validated; shared between tests, which only read them.</summary>
    public static Manifests Load(string name) => Loaded[name].Value;
}
