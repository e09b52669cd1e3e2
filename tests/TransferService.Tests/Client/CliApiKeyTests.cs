using TransferService.Tests.Hostile;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Client;

/// <summary>The <c>transfer</c> command against a server that requires API keys: <c>--api-key</c> is sent on every
/// call, and its absence is reported as the server says it.</summary>
public sealed class CliApiKeyTests(SecuredServer server) : IClassFixture<SecuredServer>
{
    [Fact]
    public async Task DatasetsList_WithApiKey_Succeeds()
    {
        var run = await CliRun.RunAsync(server.Server.App, "datasets", "list", "--api-key", server.AliceKey);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Empty(run.Error);
    }

    [Fact]
    public async Task DatasetsList_WithoutApiKey_PrintsUnauthenticatedAndExitsOne()
    {
        var run = await CliRun.RunAsync(server.Server.App, "datasets", "list");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error: UNAUTHENTICATED", run.Error);
        Assert.Contains("authorization: Bearer", run.Error);
    }
}
