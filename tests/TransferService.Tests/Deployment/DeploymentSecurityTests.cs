using System.Text.RegularExpressions;

namespace TransferService.Tests.Deployment;

/// <summary>The laptop runs without keys; every shipped deployment file turns authentication on and reflection off.</summary>
public sealed class DeploymentSecurityTests
{
    private static string Read(string relative)
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "TransferService.sln"))) folder = folder.Parent;
        Assert.NotNull(folder);
        return File.ReadAllText(Path.Combine(folder.FullName, relative));
    }

    [Fact]
    public void Dockerfile_RequiresApiKeys_AndHidesReflection()
    {
        var dockerfile = Read("Dockerfile");
        Assert.Matches(@"(?m)^\s+Security__RequireApiKeys=true\b", dockerfile);
        Assert.Matches(@"(?m)^\s+Security__EnableReflection=false\b", dockerfile);
    }

    [Fact]
    public void KubernetesDeployment_RequiresApiKeys_AndHidesReflection()
    {
        var deployment = Read("deploy/kubernetes/base/deployment.yaml");
        Assert.Equal("true", EnvValue(deployment, "Security__RequireApiKeys"));
        Assert.Equal("false", EnvValue(deployment, "Security__EnableReflection"));
    }

    [Fact]
    public void Compose_RequiresApiKeys()
    {
        Assert.Matches(@"(?m)^\s+Security__RequireApiKeys:\s*""true""", Read("docker-compose.yml"));
    }

    private static string EnvValue(string yaml, string name)
    {
        var match = Regex.Match(yaml, $@"-\s+name:\s+{name}\s*\n\s+value:\s+""([^""]*)""");
        Assert.True(match.Success, $"{name} is not set in the Deployment's env");
        return match.Groups[1].Value;
    }
}
