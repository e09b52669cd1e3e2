using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using TransferService.Core.Backbones;
using TransferService.Core.Errors;
using TransferService.Core.Storage;

namespace TransferService.Core.Heads;

/// <summary>Head versions in <c>&lt;data&gt;/heads/&lt;name&gt;/v&lt;N&gt;.head</c> and aliases in
/// <c>aliases.json</c>. A version file is written once, atomically (temp, fsync, rename), and starts with the
/// SHA-256 of its body: a file that does not match is reported as corrupt and never served.</summary>
public sealed class HeadStore(string root)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        // Metrics are NaN when a split leaves no validation rows (every label has a single example).
        NumberHandling = JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };
    private readonly ConcurrentDictionary<string, object> _locks = new(StringComparer.Ordinal);

    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>Stores <paramref name="head"/> as the next version of its name and returns it with that version.</summary>
    public HeadRecord Add(HeadRecord head)
    {
        ValidateName(head.Name, "name");
        lock (_locks.GetOrAdd(head.Name, _ => new object()))
        {
            var folder = Path.Combine(Root, head.Name);
            Directory.CreateDirectory(folder);
            var stored = head with { Version = Versions(head.Name).DefaultIfEmpty(0).Max() + 1 };
            var body = JsonSerializer.SerializeToUtf8Bytes(stored, Json);
            var file = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(SHA256.HashData(body)) + "\n").Concat(body).ToArray();
            DurableFile.WriteAllBytes(VersionPath(head.Name, stored.Version), file);
            return stored;
        }
    }

    public IReadOnlyList<string> Names() =>
        Directory.Exists(Root) ? Directory.EnumerateDirectories(Root).Select(Path.GetFileName).OfType<string>()
            .Where(n => Versions(n).Any()).Order(StringComparer.Ordinal).ToArray() : [];

    public IReadOnlyList<int> Versions(string name)
    {
        var folder = Path.Combine(Root, name);
        if (!Directory.Exists(folder)) return [];
        return Directory.EnumerateFiles(folder, "v*.head")
            .Select(f => int.TryParse(Path.GetFileNameWithoutExtension(f)[1..], out var v) ? v : 0)
            .Where(v => v > 0).Order().ToArray();
    }

    /// <summary>The version a reference names. NotFound for an unknown head, version or alias.</summary>
    public int Resolve(HeadReference reference, string field = "head")
    {
        ValidateName(reference.Name, $"{field}.name");
        var versions = Versions(reference.Name);
        if (versions.Count == 0) throw new TransferException(ErrorCode.NotFound, $"head '{reference.Name}' does not exist", $"{field}.name");
        if (reference.Alias.Length > 0)
            return Aliases(reference.Name).TryGetValue(reference.Alias, out var aliased)
                ? aliased
                : throw new TransferException(ErrorCode.NotFound, $"head '{reference.Name}' has no alias '{reference.Alias}'", $"{field}.alias");
        if (reference.Version == 0) return versions[^1];
        return versions.Contains(reference.Version)
            ? reference.Version
            : throw new TransferException(ErrorCode.NotFound, $"head '{reference.Name}' has no version {reference.Version}", $"{field}.version");
    }

    /// <summary>Reads and verifies a version; FailedPrecondition when its file is corrupt.</summary>
    public HeadRecord Read(string name, int version)
    {
        var bytes = File.ReadAllBytes(VersionPath(name, version));
        var newline = Array.IndexOf(bytes, (byte)'\n');
        var body = newline > 0 ? bytes.AsSpan(newline + 1) : [];
        if (newline != 64 || Convert.ToHexStringLower(SHA256.HashData(body)) != Encoding.ASCII.GetString(bytes, 0, 64))
            throw new TransferException(ErrorCode.FailedPrecondition,
                $"head '{name}' v{version} is corrupt on disk (checksum mismatch); it is not served", "head");
        return JsonSerializer.Deserialize<HeadRecord>(body, Json)!;
    }

    public IReadOnlyDictionary<string, int> Aliases(string name)
    {
        var path = Path.Combine(Root, name, "aliases.json");
        return File.Exists(path) ? JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllBytes(path), Json)! : new Dictionary<string, int>();
    }

    /// <summary>Points <paramref name="alias"/> at <paramref name="version"/>, replacing the aliases file in one rename.</summary>
    public void SetAlias(string name, string alias, int version)
    {
        if (!ModelRepository.IsValidName(alias)) throw TransferException.Invalid("alias", $"alias '{alias}' must be 1-63 characters of a-z, 0-9, '.', '_', '-'");
        Resolve(new HeadReference(name, version));
        lock (_locks.GetOrAdd(name, _ => new object()))
        {
            var aliases = new Dictionary<string, int>(Aliases(name)) { [alias] = version };
            DurableFile.WriteAllBytes(Path.Combine(Root, name, "aliases.json"), JsonSerializer.SerializeToUtf8Bytes(aliases, Json));
        }
    }

    /// <summary>Deletes one version (and the aliases pointing at it), or the whole head when version is 0.</summary>
    public void Delete(HeadReference reference)
    {
        var version = Resolve(reference);
        lock (_locks.GetOrAdd(reference.Name, _ => new object()))
        {
            if (reference.Version == 0 && reference.Alias.Length == 0)
            {
                Directory.Delete(Path.Combine(Root, reference.Name), recursive: true);
                return;
            }
            File.Delete(VersionPath(reference.Name, version));
            var aliases = Aliases(reference.Name).Where(a => a.Value != version).ToDictionary();
            DurableFile.WriteAllBytes(Path.Combine(Root, reference.Name, "aliases.json"), JsonSerializer.SerializeToUtf8Bytes(aliases, Json));
        }
    }

    private string VersionPath(string name, int version) => Path.Combine(Root, name, $"v{version}.head");

    private static void ValidateName(string name, string field)
    {
        if (!ModelRepository.IsValidName(name))
            throw TransferException.Invalid(field, $"{field} '{name}' must be 1-63 characters of a-z, 0-9, '.', '_', '-'");
    }
}
