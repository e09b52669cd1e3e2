using TransferService.Deployment.Tests.Infrastructure;

namespace TransferService.Deployment.Tests.Containers;

public sealed class DockerfileTests
{
    private static readonly Dockerfile File = Dockerfile.Load();

    [Theory]
    [InlineData("cpu", "${DOTNET_RUNTIME_IMAGE}", "build-cpu")]
    [InlineData("cuda", "${CUDA_IMAGE}", "build-cuda")]
    public void Target_RunsAsNonRootWithTheProbe_OnItsOwnBase(string target, string baseImage, string buildStage)
    {
        var stage = File[target];

        Assert.Equal(baseImage, stage.From);
        Assert.Contains($"COPY --from={buildStage} /app ./", stage.Instructions);
        Assert.Contains("USER 10001:10001", stage.Instructions);
        Assert.Contains(stage.Instructions, i => i.StartsWith("HEALTHCHECK ") && i.EndsWith(@"CMD [""dotnet"", ""/app/probe/TransferService.HealthProbe.dll""]"));
        Assert.Contains(stage.Instructions, i => i.StartsWith("ENV ") && i.Contains("ASPNETCORE_URLS=http://+:50051") && i.Contains("Security__RequireApiKeys=true"));
    }

    [Theory]
    [InlineData("build-cpu", "cpu")]
    [InlineData("build-cuda", "gpu")]
    public void BuildStage_PublishesForLinuxX64_WithItsOnnxRuntimeNatives(string buildStage, string natives)
    {
        var publishes = File[buildStage].Instructions.Single(i => i.StartsWith("RUN dotnet publish"))
            .Split("&&").Select(c => c.Trim()).ToArray();

        Assert.Equal(2, publishes.Length);
        Assert.All(publishes, p => Assert.Contains("-r linux-x64 ", p));
        Assert.Contains($"-p:OnnxRuntimeNatives={natives} ", publishes[0]);
        Assert.Contains("TransferService.HealthProbe.csproj", publishes[1]);
        Assert.EndsWith("-o /app/probe", publishes[1]);
    }

    [Fact]
    public void DefaultTarget_IsTheCpuImage()
    {
        Assert.Equal("cpu", File.Stages[^1].Name);
    }

    [Fact]
    public void BuildCommands_InTheDockerfile_TagTheOneImageName()
    {
        var text = Repository.Read("Dockerfile");

        Assert.Contains($"docker build --target cpu  -t {ImageName.Repository}:cpu  .", text);
        Assert.Contains($"docker build --target cuda -t {ImageName.Repository}:cuda .", text);
    }
}
