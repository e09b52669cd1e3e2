using Microsoft.Extensions.Time.Testing;
using TransferService.Core.Errors;
using TransferService.Core.Security;

namespace TransferService.Core.Tests.Security;

public sealed class ApiKeyStoreTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"keys-{Guid.NewGuid():N}");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 0, 0, 0, TimeSpan.Zero));

    private ApiKeyStore Store() => new(_folder, _time);

    [Fact]
    public void Create_KeyAuthenticatesAsItsTenantAndRoles_SecretIsNotStored()
    {
        var (key, secret) = Store().Create("acme", [Role.User, Role.Admin, Role.User], "ci");

        var found = Store().Authenticate(secret);
        Assert.NotNull(found);
        Assert.Equal(("acme", key.Id), (found.Tenant, found.Id));
        Assert.Equal([Role.User, Role.Admin], found.Roles);
        Assert.Equal(_time.GetUtcNow(), found.Created);
        var file = File.ReadAllText(Path.Combine(_folder, "api-keys.json"));
        Assert.DoesNotContain(secret.Split('_', 3)[2], file);
        Assert.Contains(key.SecretSha256, file);
    }

    [Fact]
    public void Authenticate_WrongSecretUnknownIdOrMalformed_Null()
    {
        var store = Store();
        var (key, secret) = store.Create("acme", [Role.User], "");
        var (_, other) = store.Create("acme", [Role.User], "");

        Assert.Null(store.Authenticate($"tsk_{key.Id}_{other.Split('_', 3)[2]}"));
        Assert.Null(store.Authenticate(secret.Replace(key.Id, "ffffffffffff")));
        Assert.Null(store.Authenticate(secret[4..]));
        Assert.Null(store.Authenticate("tsk_"));
        Assert.Null(store.Authenticate(secret + new string('a', 300)));
    }

    [Fact]
    public void Revoke_KeyStopsWorkingForEveryStoreInstance()
    {
        var (key, secret) = Store().Create("acme", [Role.User], "");
        var serving = Store();
        Assert.NotNull(serving.Authenticate(secret));

        Store().Revoke(key.Id);

        Assert.Null(serving.Authenticate(secret));
        Assert.Empty(serving.List());
        Assert.Equal(ErrorCode.NotFound, Assert.Throws<TransferException>(() => serving.Revoke(key.Id)).Code);
    }

    [Theory]
    [InlineData("Acme")]
    [InlineData("../etc")]
    [InlineData("")]
    public void Create_InvalidTenant_InvalidArgumentOnTenant(string tenant)
    {
        var error = Assert.Throws<TransferException>(() => Store().Create(tenant, [Role.User], ""));
        Assert.Equal((ErrorCode.InvalidArgument, "tenant"), (error.Code, error.Field));
    }

    [Fact]
    public void Create_NoRole_InvalidArgumentOnRoles()
    {
        var error = Assert.Throws<TransferException>(() => Store().Create("acme", [], ""));
        Assert.Equal((ErrorCode.InvalidArgument, "roles"), (error.Code, error.Field));
    }

    [Fact]
    public void List_DamagedKeyFile_UnavailableNeverOpen()
    {
        var (_, secret) = Store().Create("acme", [Role.User], "");
        File.WriteAllText(Path.Combine(_folder, "api-keys.json"), "[{\"id\":");

        var error = Assert.Throws<TransferException>(() => Store().Authenticate(secret));
        Assert.Equal(ErrorCode.Unavailable, error.Code);
        Assert.DoesNotContain(_folder, error.Message);
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }
}
