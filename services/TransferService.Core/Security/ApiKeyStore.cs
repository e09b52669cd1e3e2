using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using TransferService.Core.Backbones;
using TransferService.Core.Errors;
using TransferService.Core.Storage;

namespace TransferService.Core.Security;

/// <summary>API keys in <c>&lt;data&gt;/keys/api-keys.json</c>, replaced atomically on every change. A key reads
/// <c>tsk_&lt;id&gt;_&lt;secret&gt;</c>; the secret is 256 random bits, so a plain SHA-256 of it is enough to store
/// (no slow password hash is needed for a value nobody can guess). Changes made by another process (the
/// <c>keys</c> command while the service runs) are picked up on the next lookup.</summary>
public sealed class ApiKeyStore(string folder, TimeProvider time)
{
    private const string Prefix = "tsk_";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };
    private readonly Lock _lock = new();
    private IReadOnlyList<ApiKey> _keys = [];
    private DateTime _loadedStamp = DateTime.MinValue;

    private string FilePath => Path.Combine(folder, "api-keys.json");

    /// <summary>Creates a key for <paramref name="tenant"/>; returns the record and the key, which is shown only this once.</summary>
    public (ApiKey Key, string Secret) Create(string tenant, IReadOnlyList<Role> roles, string description)
    {
        if (!ModelRepository.IsValidName(tenant))
            throw TransferException.Invalid("tenant", $"tenant '{tenant}' must be 1-63 characters of a-z, 0-9, '.', '_', '-'");
        if (roles.Count == 0) throw TransferException.Invalid("roles", "a key needs at least one role");
        if (description.Length > 256) throw TransferException.Invalid("description", "description is longer than 256 characters");
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        var key = new ApiKey(id, tenant, roles.Distinct().Order().ToArray(), Hash(secret), description, time.GetUtcNow());
        lock (_lock) Save([.. Load(), key]);
        return (key, $"{Prefix}{id}_{secret}");
    }

    /// <summary>NotFound when no key has <paramref name="id"/>.</summary>
    public void Revoke(string id)
    {
        lock (_lock)
        {
            var keys = Load();
            if (keys.All(k => k.Id != id)) throw new TransferException(ErrorCode.NotFound, $"API key '{id}' does not exist", "key_id");
            Save(keys.Where(k => k.Id != id).ToArray());
        }
    }

    public IReadOnlyList<ApiKey> List()
    {
        lock (_lock) return Load();
    }

    /// <summary>The key that <paramref name="presented"/> is, or null for anything else (unknown, revoked, malformed).</summary>
    public ApiKey? Authenticate(string presented)
    {
        if (!presented.StartsWith(Prefix, StringComparison.Ordinal) || presented.Length > 200) return null;
        var parts = presented[Prefix.Length..].Split('_', 2);
        if (parts.Length != 2) return null;
        var key = List().FirstOrDefault(k => k.Id == parts[0]);
        if (key is null) return null;
        var expected = Encoding.ASCII.GetBytes(key.SecretSha256);
        var actual = Encoding.ASCII.GetBytes(Hash(parts[1]));
        return CryptographicOperations.FixedTimeEquals(expected, actual) ? key : null;
    }

    private IReadOnlyList<ApiKey> Load()
    {
        var stamp = File.Exists(FilePath) ? File.GetLastWriteTimeUtc(FilePath) : DateTime.MinValue;
        if (stamp == _loadedStamp) return _keys;
        try
        {
            _keys = stamp == DateTime.MinValue ? [] : JsonSerializer.Deserialize<ApiKey[]>(File.ReadAllBytes(FilePath), Json) ?? [];
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            // A damaged key file must not open the service: refuse every key until an admin repairs it.
            throw new TransferException(ErrorCode.Unavailable, "the API key store is unreadable; ask an administrator", inner: e);
        }
        _loadedStamp = stamp;
        return _keys;
    }

    private void Save(IReadOnlyList<ApiKey> keys)
    {
        Directory.CreateDirectory(folder);
        DurableFile.WriteAllBytes(FilePath, JsonSerializer.SerializeToUtf8Bytes(keys, Json));
        _loadedStamp = DateTime.MinValue;
    }

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
