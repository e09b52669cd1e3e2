using TransferService.HealthProbe;

namespace TransferService.Tests.HealthProbe;

public sealed class ProbeTargetTests
{
    [Theory]
    [InlineData(null, "http://localhost:50051/")]
    [InlineData("http://+:6000", "http://localhost:6000/")]
    [InlineData("http://[::]:7000;http://0.0.0.0:7001", "http://localhost:7000/")]
    [InlineData("https://*:8443/", "https://localhost:8443/")]
    public void Parse_NoAddress_ProbesTheServicesOwnPortOnLocalhost(string? listeningUrls, string expected)
    {
        var target = ProbeTarget.Parse([], listeningUrls);

        Assert.Equal(expected, target.Address.ToString());
        Assert.Equal("", target.Service);
        Assert.Equal(ProbeTarget.DefaultTimeout, target.Timeout);
    }

    [Fact]
    public void Parse_Options_OverrideTheDefaults()
    {
        var target = ProbeTarget.Parse(["--address", "http://[::1]:9000", "--service", "transfer.v1.JobService", "--timeout", "1.5"], "http://+:6000");

        Assert.Equal(new Uri("http://[::1]:9000"), target.Address);
        Assert.Equal("transfer.v1.JobService", target.Service);
        Assert.Equal(TimeSpan.FromSeconds(1.5), target.Timeout);
    }

    [Theory]
    [InlineData("--port", "1")]
    [InlineData("--address")]
    public void Parse_BadCommandLine_Throws(params string[] args)
    {
        Assert.Throws<ArgumentException>(() => ProbeTarget.Parse(args, null));
    }
}
