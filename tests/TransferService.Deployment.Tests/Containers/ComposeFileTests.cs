using TransferService.Deployment.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace TransferService.Deployment.Tests.Containers;

public sealed class ComposeFileTests
{
    private static readonly ComposeFile Compose = ComposeFile.Load(Repository.Read("docker-compose.yml"));

    [Fact]
    public void Services_AreTheServiceAndItsObservabilityStack()
    {
        Assert.Equal(["jaeger", "otel-collector", "prometheus", "transfer", "transfer-gpu"], Compose.ServiceNames.Order());
    }

    [Theory]
    [InlineData("transfer", "cpu")]
    [InlineData("transfer-gpu", "cuda")]
    public void TransferServices_BuildTheirDockerfileTarget_UnderTheOneImageName(string service, string target)
    {
        var definition = Compose.Service(service);

        Assert.Equal($"{ImageName.Repository}:{target}", ComposeFile.Scalar(definition, "image"));
        Assert.Equal(target, ComposeFile.Scalar(definition, "build", "target"));
        Assert.Contains(target, Dockerfile.Load().StageNames);
    }

    [Fact]
    public void GpuService_IsOnlyInTheGpuProfile_AndReservesGpus()
    {
        Assert.Equal(["gpu"], ComposeFile.Strings(Compose.Service("transfer-gpu"), "profiles"));
        Assert.Empty(ComposeFile.Strings(Compose.Service("transfer"), "profiles"));
        var device = (YamlMappingNode)((YamlSequenceNode)Compose.Service("transfer-gpu")["deploy"]["resources"]["reservations"]["devices"]).Children.Single();
        Assert.Equal("nvidia", ComposeFile.Scalar(device, "driver"));
    }

    [Theory]
    [InlineData("transfer")]
    [InlineData("transfer-gpu")]
    public void TransferServices_CheckHealthWithTheShippedProbe_AndSendTelemetryToTheCollector(string service)
    {
        var definition = Compose.Service(service);

        Assert.Contains("/app/probe/TransferService.HealthProbe.dll", ComposeFile.Strings((YamlMappingNode)definition["healthcheck"], "test"));
        Assert.Equal("http://otel-collector:4317", ComposeFile.Scalar(definition, "environment", "OTEL_EXPORTER_OTLP_ENDPOINT"));
        Assert.Equal("true", ComposeFile.Scalar(definition, "environment", "Security__RequireApiKeys"));
        Assert.NotNull(ComposeFile.Scalar(definition, "deploy", "resources", "limits", "memory"));
    }

    [Fact]
    public void Prometheus_ScrapesThePortTheCollectorExportsOn()
    {
        var collector = Load(MountedFile("otel-collector", "/etc/otelcol/config.yaml"));
        var prometheus = Load(MountedFile("prometheus", "/etc/prometheus/prometheus.yml"));
        var exportPort = ComposeFile.Scalar(collector, "exporters", "prometheus", "endpoint")!.Split(':')[^1];
        var target = (YamlScalarNode)((YamlSequenceNode)((YamlSequenceNode)prometheus["scrape_configs"]).Children
            .Select(c => c["static_configs"]).Cast<YamlSequenceNode>().Single().Children.Single()["targets"]).Children.Single();

        Assert.Equal($"otel-collector:{exportPort}", target.Value);
        Assert.Equal("http://localhost:9090/-/ready", ComposeFile.Strings((YamlMappingNode)Compose.Service("prometheus")["healthcheck"], "test")[^1]);
        Assert.Contains("otlp", ((YamlMappingNode)collector["receivers"]).Children.Keys.Select(k => k.ToString()));
        Assert.Equal("otlp/jaeger", Assert.Single(ComposeFile.Strings((YamlMappingNode)collector["service"]["pipelines"]["traces"], "exporters")));
        Assert.Equal("jaeger:4317", ComposeFile.Scalar(collector, "exporters", "otlp/jaeger", "endpoint"));
    }

    /// <summary>The repository file the service mounts at <paramref name="target"/>.</summary>
    private static string MountedFile(string service, string target)
    {
        var volume = ComposeFile.Strings(Compose.Service(service), "volumes").Single(v => v.Split(':')[1] == target);
        return Repository.Read(volume.Split(':')[0]);
    }

    private static YamlMappingNode Load(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }
}
