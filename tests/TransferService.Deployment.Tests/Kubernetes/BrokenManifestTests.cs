using YamlDotNet.Core;

namespace TransferService.Deployment.Tests.Kubernetes;

/// <summary>The validation rejects what it should: each test breaks the rendered cpu overlay in one way.</summary>
public sealed class BrokenManifestTests
{
    [Fact]
    public void Load_UnknownField_IsRejected()
    {
        var broken = Break("  replicas: 1\n", "  replicas: 1\n  replica: 2\n");

        Assert.Throws<YamlException>(() => Manifests.Load(broken));
    }

    [Fact]
    public void Load_WrongType_IsRejected()
    {
        var broken = Break("  replicas: 1\n", "  replicas: [one]\n");

        Assert.Throws<YamlException>(() => Manifests.Load(broken));
    }

    [Fact]
    public void Load_BadQuantity_IsRejected()
    {
        var broken = Break("memory: 8Gi", "memory: 8GB");

        Assert.Throws<YamlException>(() => Manifests.Load(broken));
    }

    [Fact]
    public void Load_ValueOutsideItsEnum_IsRejectedNamingTheObject()
    {
        var broken = Break("    type: Recreate\n", "    type: Replace\n");

        var error = Assert.Throws<InvalidDataException>(() => Manifests.Load(broken));
        Assert.Contains("Deployment transfer-service", error.Message);
        Assert.Contains("strategy/type must be equal to one of the allowed values", error.Message);
    }

    [Fact]
    public void Load_MissingRequiredField_IsRejected()
    {
        var broken = Break("        name: transfer\n", "");

        var error = Assert.Throws<InvalidDataException>(() => Manifests.Load(broken));
        Assert.Contains("name", error.Message);
    }

    [Fact]
    public void Check_SelectorNotMatchingTemplate_IsReported()
    {
        var broken = Break("    matchLabels:\n      app.kubernetes.io/name: transfer-service\n  strategy:",
                           "    matchLabels:\n      app.kubernetes.io/name: transfer\n  strategy:");

        var problems = ManifestRules.Check(Manifests.Load(broken));

        Assert.Contains("Deployment transfer-service: selector does not match its pod template's labels", problems);
    }

    [Fact]
    public void Check_TwoReplicasOnOneDataVolume_IsReported()
    {
        var broken = Break("  replicas: 1\n", "  replicas: 2\n");

        var problems = ManifestRules.Check(Manifests.Load(broken));

        Assert.Contains(problems, p => p.Contains("must run alone (replicas 1, strategy Recreate)"));
    }

    [Fact]
    public void Check_UnknownAutoscalerMetricType_IsReported()
    {
        var rendered = Overlay.Render("embedding");
        Assert.Contains("\n    type: Pods\n", rendered);
        var broken = rendered.Replace("\n    type: Pods\n", "\n    type: Queue\n");

        var problems = ManifestRules.Check(Manifests.Load(broken));

        Assert.Contains(problems, p => p.StartsWith("HorizontalPodAutoscaler transfer-service: metric type Queue is not one of"));
    }

    [Fact]
    public void Check_AutoscalerOnTheStatefulDeployment_IsReported()
    {
        var autoscaler = Overlay.Render("embedding").Split("---\n").Single(d => d.Contains("kind: HorizontalPodAutoscaler"));
        var broken = Overlay.Render("cpu") + "---\n" + autoscaler;

        var problems = ManifestRules.Check(Manifests.Load(broken));

        Assert.Contains("HorizontalPodAutoscaler transfer-service: scales a Deployment whose pods share one persistent data volume", problems);
    }

    private static string Break(string valid, string broken)
    {
        var rendered = Overlay.Render("cpu");
        Assert.Contains(valid, rendered);
        return rendered.Replace(valid, broken);
    }
}
