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
    public async Task Keys_AdminCreatesListsAndRevokes_TheNewKeyWorksUntilRevoked()
    {
        var created = (await CliRun.RunAsync(server.Server.App, "keys", "create", "--tenant", "carol", "--role", "user",
            "--description", "cli test", "--api-key", server.AdminKey)).Succeeded().Output;
        var id = System.Text.RegularExpressions.Regex.Match(created, @"created key (\S+) for tenant carol \(user\)").Groups[1].Value;
        Assert.NotEmpty(id);
        var secret = created.TrimEnd().Split('\n')[^1].Trim();
        Assert.StartsWith($"tsk_{id}_", secret);

        (await CliRun.RunAsync(server.Server.App, "datasets", "list", "--api-key", secret)).Succeeded();
        var list = (await CliRun.RunAsync(server.Server.App, "keys", "list", "--api-key", server.AdminKey)).Succeeded().Output;
        Assert.Matches($@"│ {id}\s*│ carol\s*│ user\s*│ [\d-]+ [\d:]+Z\s*│ cli test", list);
        Assert.DoesNotContain(secret, list);
        Assert.Contains($"revoked key {id}", (await CliRun.RunAsync(server.Server.App, "keys", "revoke", id, "--api-key", server.AdminKey)).Succeeded().Output);

        var refused = await CliRun.RunAsync(server.Server.App, "datasets", "list", "--api-key", secret);
        Assert.Equal(1, refused.ExitCode);
        Assert.StartsWith("error: UNAUTHENTICATED", refused.Error);
    }

    [Fact]
    public async Task KeysList_UserKey_PrintsPermissionDenied()
    {
        var run = await CliRun.RunAsync(server.Server.App, "keys", "list", "--api-key", server.AliceKey);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error: PERMISSION_DENIED", run.Error);
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
