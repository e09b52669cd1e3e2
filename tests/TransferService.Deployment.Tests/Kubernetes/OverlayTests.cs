using k8s.Models;
using TransferService.Deployment.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace TransferService.Deployment.Tests.Kubernetes;

public sealed class OverlayTests
{
    public static TheoryData<string> Overlays => new(Overlay.Names);

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Build_EveryOverlay_IsValidAndKeepsTheRules(string overlay)
    {
        var manifests = Overlay.Load(overlay);

        Assert.Empty(ManifestRules.Check(manifests));
        Assert.Equal(ImageName.Repository, ImageName.Split(manifests.Container.Image).Repository);
        Assert.Equal("PreferDualStack", manifests.Single<V1Service>().Spec.IpFamilyPolicy);
        Assert.Equal("http://+:50051", manifests.Single<V1ConfigMap>().Data["ASPNETCORE_URLS"]);
    }

    [Fact]
    public void Build_CpuOverlay_RunsTheCpuImageOnTheCpuLane()
    {
        var manifests = Overlay.Load("cpu");

        Assert.Equal("cpu", ImageName.Split(manifests.Container.Image).Tag);
        Assert.Equal("cpu", manifests.Single<V1ConfigMap>().Data["Lanes__Devices"]);
        Assert.DoesNotContain("nvidia.com/gpu", manifests.Container.Resources.Limits.Keys);
        Assert.Equal(1, manifests.Deployment.Spec.Replicas);
        Assert.Equal("transfer-data", manifests.Single<V1PersistentVolumeClaim>().Name());
    }

    [Fact]
    public void Build_GpuOverlay_AsksForOneGpuOnGpuNodes()
    {
        var manifests = Overlay.Load("gpu");
        var pod = manifests.Deployment.Spec.Template.Spec;

        Assert.Equal("cuda", ImageName.Split(manifests.Container.Image).Tag);
        Assert.Equal("1", manifests.Container.Resources.Limits["nvidia.com/gpu"].ToString());
        Assert.Equal("nvidia", pod.RuntimeClassName);
        Assert.Equal("true", pod.NodeSelector["nvidia.com/gpu.present"]);
        Assert.Contains(pod.Tolerations, t => t.Key == "nvidia.com/gpu" && t.OperatorProperty == "Exists" && t.Effect == "NoSchedule");
    }

    [Fact]
    public void Build_EmbeddingOverlay_ScalesOnQueueItemsWithoutTheDataVolume()
    {
        var manifests = Overlay.Load("embedding");
        var metric = Assert.Single(manifests.Single<V2HorizontalPodAutoscaler>().Spec.Metrics);

        Assert.Equal("Pods", metric.Type);
        Assert.Equal(AdapterMetricName(), metric.Pods.Metric.Name);
        Assert.Empty(manifests.Objects.OfType<V1PersistentVolumeClaim>());
        Assert.Null(manifests.Deployment.Spec.Replicas);
        Assert.Equal("RollingUpdate", manifests.Deployment.Spec.Strategy.Type);
        Assert.Contains(manifests.Deployment.Spec.Template.Spec.Volumes, v => v.Name == "data" && v.EmptyDir is not null && v.PersistentVolumeClaim is null);
    }

    /// <summary>The custom metric the prometheus-adapter rule serves: the HPA must ask for exactly that name.</summary>
    private static string AdapterMetricName()
    {
        var values = new YamlStream();
        values.Load(new StringReader(Repository.Read("deploy/kubernetes/hpa/prometheus-adapter-values.yaml")));
        var rule = (YamlMappingNode)((YamlSequenceNode)values.Documents[0].RootNode["rules"]["custom"]).Children.Single();
        return ((YamlScalarNode)rule["name"]["as"]).Value!;
    }
}
