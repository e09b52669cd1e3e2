using Grpc.Core;
using TransferService.Contracts.V1;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Hostile;

/// <summary>Aliases never lead to INTERNAL: version 0 is refused when set, and an alias whose version is gone
/// (deleted on disk, or 0 as written by older releases) fails the reference with FAILED_PRECONDITION naming
/// the alias; one damaged aliases file neither fails ListHeads nor the other heads.</summary>
[Collection(ServerCollection.Name)]
public sealed class IntegrityHeadAliasTests(ServerFixture fixture)
{
    [Fact]
    public async Task SetHeadAlias_VersionZero_InvalidArgumentNamingVersionAndNothingSet()
    {
        await IntegrityTextHeads.EnsureTrainedAsync(fixture);
        var heads = new HeadService.HeadServiceClient(fixture.Channel);

        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => heads.SetHeadAliasAsync(new SetHeadAliasRequest
        {
            Name = IntegrityTextHeads.First, Alias = "zero", Version = 0,
        }).ResponseAsync, "version");
        await RpcAssert.FailsAsync(StatusCode.NotFound, () => heads.SetHeadAliasAsync(new SetHeadAliasRequest
        {
            Name = IntegrityTextHeads.First, Alias = "zero", Version = 99,
        }).ResponseAsync, "version");

        await RpcAssert.FailsAsync(StatusCode.NotFound, () => heads.GetHeadAsync(new GetHeadRequest
        {
            Head = new HeadReference { Name = IntegrityTextHeads.First, Alias = "zero" },
        }).ResponseAsync, "head.alias");
    }

    [Fact]
    public async Task GetHeadAndClassify_AliasAtMissingVersion_FailedPreconditionNamingAlias()
    {
        await IntegrityTextHeads.EnsureTrainedAsync(fixture);
        var folder = Path.Combine(Path.GetTempPath(), $"integrity-{Guid.NewGuid():N}");
        IntegrityTextHeads.CopyTo(fixture, folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "tenants", "default", "heads", IntegrityTextHeads.First, "aliases.json"), """{"legacy":0,"gone":7}""");
        await using var server = await IntegrityServer.StartAsync(fixture, folder);
        var heads = new HeadService.HeadServiceClient(server.Server.Channel);

        foreach (var alias in new[] { "legacy", "gone" })
        {
            var reference = new HeadReference { Name = IntegrityTextHeads.First, Alias = alias };
            var message = await RpcAssert.FailsAsync(StatusCode.FailedPrecondition,
                () => heads.GetHeadAsync(new GetHeadRequest { Head = reference }).ResponseAsync, "head.alias");
            Assert.Contains(alias, message);
            await RpcAssert.FailsAsync(StatusCode.FailedPrecondition, () => heads.ClassifyAsync(new ClassifyRequest
            {
                Backbone = "minilm", Heads = { reference }, Inputs = { HeadWorkflow.Text("a fine film") },
            }).ResponseAsync, "heads[0].alias");
        }
        var byVersion = (await heads.GetHeadAsync(new GetHeadRequest { Head = new HeadReference { Name = IntegrityTextHeads.First, Version = 1 } })).Head;
        Assert.Equal((1u, 0), (byVersion.Version, byVersion.Aliases.Count));
    }

    [Fact]
    public async Task ListHeads_OneTruncatedAliasesFile_OthersListedDamagedOneMarkedAndFailsAlone()
    {
        await IntegrityTextHeads.EnsureTrainedAsync(fixture);
        var folder = Path.Combine(Path.GetTempPath(), $"integrity-{Guid.NewGuid():N}");
        IntegrityTextHeads.CopyTo(fixture, folder);
        foreach (var name in new[] { IntegrityTextHeads.First, IntegrityTextHeads.Second })
            await File.WriteAllTextAsync(Path.Combine(folder, "tenants", "default", "heads", name, "aliases.json"), """{"prod":1}""");
        await File.WriteAllTextAsync(Path.Combine(folder, "tenants", "default", "heads", IntegrityTextHeads.First, "aliases.json"), """{"prod":""");
        await using var server = await IntegrityServer.StartAsync(fixture, folder);
        var heads = new HeadService.HeadServiceClient(server.Server.Channel);

        var listed = (await heads.ListHeadsAsync(new ListHeadsRequest())).Heads.ToDictionary(h => h.Name);

        Assert.Contains("aliases.json is not valid JSON", listed[IntegrityTextHeads.First].Damaged);
        Assert.Equal([1u], listed[IntegrityTextHeads.First].Versions);
        Assert.Equal(("", 1u), (listed[IntegrityTextHeads.Second].Damaged, listed[IntegrityTextHeads.Second].Aliases["prod"]));
        var message = await RpcAssert.FailsAsync(StatusCode.FailedPrecondition, () => heads.GetHeadAsync(new GetHeadRequest
        {
            Head = new HeadReference { Name = IntegrityTextHeads.First, Alias = "prod" },
        }).ResponseAsync, "head.alias");
        Assert.DoesNotContain('/', message);
        var second = (await heads.GetHeadAsync(new GetHeadRequest { Head = new HeadReference { Name = IntegrityTextHeads.Second, Alias = "prod" } })).Head;
        Assert.Equal(1u, second.Version);
    }
}
