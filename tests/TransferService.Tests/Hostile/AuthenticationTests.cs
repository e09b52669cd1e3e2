using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using TransferService.Contracts.V1;
using TransferService.Security;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Hostile;

/// <summary>Keys are required for every call but health; roles decide who manages backbones and keys.</summary>
public sealed class AuthenticationTests(SecuredServer server) : IClassFixture<SecuredServer>
{
    public static TheoryData<string> Calls => new() { "ListBackbones", "Embed", "ListDatasets", "ListHeads", "GetJob", "ListApiKeys" };

    private static Task Call(CallInvoker invoker, string name) => name switch
    {
        "ListBackbones" => new BackboneService.BackboneServiceClient(invoker).ListBackbonesAsync(new ListBackbonesRequest()).ResponseAsync,
        "Embed" => new EmbeddingService.EmbeddingServiceClient(invoker).EmbedAsync(new EmbedRequest
        {
            Backbone = SecuredServer.Backbone, Inputs = { new Input { Tensor = new FloatTensor { Shape = { 4 }, Values = { 1, 2, 3, 4 } } } },
        }).ResponseAsync,
        "ListDatasets" => new DatasetService.DatasetServiceClient(invoker).ListDatasetsAsync(new ListDatasetsRequest()).ResponseAsync,
        "ListHeads" => new HeadService.HeadServiceClient(invoker).ListHeadsAsync(new ListHeadsRequest()).ResponseAsync,
        "GetJob" => new JobService.JobServiceClient(invoker).GetJobAsync(new GetJobRequest { JobId = "job-none" }).ResponseAsync,
        "ListApiKeys" => new AccessService.AccessServiceClient(invoker).ListApiKeysAsync(new ListApiKeysRequest()).ResponseAsync,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task AnyCall_WithoutKey_Unauthenticated(string call)
    {
        var message = await RpcAssert.FailsAsync(StatusCode.Unauthenticated, () => Call(server.As(null), call));
        Assert.Contains("authorization: Bearer", message);
    }

    [Theory]
    [InlineData("tsk_000000000000_forged")]
    [InlineData("not-a-key")]
    [InlineData("")]
    public async Task AnyCall_WithForgedKey_Unauthenticated(string key) =>
        await RpcAssert.FailsAsync(StatusCode.Unauthenticated, () => Call(server.As(key), "ListDatasets"));

    [Fact]
    public async Task AnyCall_WithAlteredSecret_Unauthenticated()
    {
        var altered = server.AliceKey[..^2] + (server.AliceKey[^2] == 'A' ? "BB" : "AA");
        await RpcAssert.FailsAsync(StatusCode.Unauthenticated, () => Call(server.As(altered), "ListDatasets"));
    }

    [Fact]
    public async Task Health_WithoutKey_Serves()
    {
        var reply = await new Health.HealthClient(server.As(null)).CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
    }

    [Fact]
    public async Task Reflection_DisabledByConfiguration_Unimplemented()
    {
        using var call = new ServerReflection.ServerReflectionClient(server.As(server.AdminKey)).ServerReflectionInfo();
        // The server may answer before the request is written: then the write fails (with a status of its own),
        // and the read reports the server's status.
        try { await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" }); }
        catch (RpcException) { }
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task UserKey_UserCalls_Allowed_AdminCallsDenied(string call)
    {
        var user = server.As(server.AliceKey);
        if (call == "ListApiKeys")
            await RpcAssert.FailsAsync(StatusCode.PermissionDenied, () => Call(user, call));
        else if (call == "GetJob")
            await RpcAssert.FailsAsync(StatusCode.NotFound, () => Call(user, call), "job_id");
        else
            await Call(user, call);
    }

    [Fact]
    public async Task UserKey_BackboneAndKeyManagement_PermissionDenied()
    {
        var user = server.As(server.BobKey);
        var backbones = new BackboneService.BackboneServiceClient(user);
        var access = new AccessService.AccessServiceClient(user);
        await RpcAssert.FailsAsync(StatusCode.PermissionDenied, () => backbones.LoadBackboneAsync(new LoadBackboneRequest { Name = SecuredServer.Backbone }).ResponseAsync);
        await RpcAssert.FailsAsync(StatusCode.PermissionDenied, () => backbones.UnloadBackboneAsync(new UnloadBackboneRequest { Name = SecuredServer.Backbone }).ResponseAsync);
        await RpcAssert.FailsAsync(StatusCode.PermissionDenied, () => access.CreateApiKeyAsync(new CreateApiKeyRequest { Tenant = "bob", Roles = { Role.Admin } }).ResponseAsync);
        await RpcAssert.FailsAsync(StatusCode.PermissionDenied, () => access.RevokeApiKeyAsync(new RevokeApiKeyRequest { KeyId = "x" }).ResponseAsync);
    }

    [Fact]
    public async Task UserKey_ActingForAnotherTenant_PermissionDenied()
    {
        var message = await RpcAssert.FailsAsync(StatusCode.PermissionDenied,
            () => Call(server.As(server.BobKey, tenant: "alice"), "ListDatasets"));
        Assert.Contains(AuthenticationInterceptor.TenantHeader, message);
    }

    [Fact]
    public async Task AdminKey_CreatesKeyThatWorks_RevokedKeyIsRefusedAtOnce()
    {
        var access = new AccessService.AccessServiceClient(server.As(server.AdminKey));
        var created = await access.CreateApiKeyAsync(new CreateApiKeyRequest { Tenant = "carol", Roles = { Role.User }, Description = "test" });
        Assert.StartsWith("tsk_", created.Secret);
        Assert.Contains((await access.ListApiKeysAsync(new ListApiKeysRequest())).Keys, k => k.Id == created.Key.Id && k.Tenant == "carol");
        var stored = await File.ReadAllTextAsync(Path.Combine(server.DataFolder, "keys", "api-keys.json"));
        Assert.DoesNotContain(created.Secret.Split('_', 3)[2], stored);

        await Call(server.As(created.Secret), "ListDatasets");
        await access.RevokeApiKeyAsync(new RevokeApiKeyRequest { KeyId = created.Key.Id });
        await RpcAssert.FailsAsync(StatusCode.Unauthenticated, () => Call(server.As(created.Secret), "ListDatasets"));
        await RpcAssert.FailsAsync(StatusCode.NotFound, () => access.RevokeApiKeyAsync(new RevokeApiKeyRequest { KeyId = created.Key.Id }).ResponseAsync, "key_id");
    }

    [Theory]
    [InlineData("Bad Tenant", Role.User, "tenant")]
    [InlineData("dave", Role.Unspecified, "roles[0]")]
    public async Task CreateApiKey_BadRequest_InvalidArgument(string tenant, Role role, string field)
    {
        var access = new AccessService.AccessServiceClient(server.As(server.AdminKey));
        await RpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => access.CreateApiKeyAsync(new CreateApiKeyRequest { Tenant = tenant, Roles = { role } }).ResponseAsync, field);
    }

    [Fact]
    public async Task KeysCommand_KeyMadeWhileServing_WorksWithoutRestart()
    {
        var key = server.CreateKey("--tenant", "erin");
        var datasets = await new DatasetService.DatasetServiceClient(server.As(key)).ListDatasetsAsync(new ListDatasetsRequest());
        Assert.Empty(datasets.Datasets);
    }
}
