using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using TransferService.Core.Backbones;
using TransferService.Core.Errors;
using TransferService.Core.Storage;

namespace TransferService.Core.Heads;

/// <summary>Head versions in <c>&lt;root&gt;/&lt;name&gt;/v&lt;N&gt;.head</c>, each with the nearest-neighbour index of its
/// training embeddings in <c>v&lt;N&gt;.neighbours</c> (absent for heads trained before indexes existed), and aliases in
/// <c>aliases.json</c>. Both version files are written once, atomically (temp, fsync, rename), the index first, and
/// start with the SHA-256 of their body: a file that does not match is reported as corrupt and never served. A damaged file
/// fails only its own head, with FailedPrecondition. Construct one per root, before any write: the
/// constructor removes the temporary files of writes a crash interrupted.</summary>
public sealed class HeadStore
{
    private const string AliasesFile = "aliases.json";
    /// <summary>The highest version a head has had, kept through deletes, so a number once given is never given to
    /// other weights (a reference to "h v3" kept by a client or an extraction job must not silently change).</summary>
    private const string LastVersionFile = "last-version";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        // Metrics are NaN when a split leaves no validation rows (every label has a single example).
        NumberHandling = JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };
    private readonly ConcurrentDictionary<string, object> _locks = new(StringComparer.Ordinal);

    public HeadStore(string root)
    {
        Root = Path.GetFullPath(root);
        DurableFile.RemoveInterruptedWrites(Root);
    }

    public string Root { get; }

    /// <summary>Stores <paramref name="head"/> (with its neighbour index, if any) as the next version of its name and
    /// returns it with that version; when the version of the same <see cref="HeadRecord.JobId"/> exists already (a job
    /// that ran again after a crash, or a stale run racing the new one), returns that instead of adding another.</summary>
    public HeadRecord Add(HeadRecord head, NeighbourIndex? neighbours = null)
    {
        ValidateName(head.Name, "name");
        lock (Lock(head.Name))
        {
            if (head.JobId is { } job && FindMadeBy(head.Name, job) is { } made) return made;
            var stored = head with { Version = LastVersion(head.Name) + 1 };
            var file = Sealed(JsonSerializer.SerializeToUtf8Bytes(stored, Json));
            Write(head.Name, "name", () =>
            {
                Directory.CreateDirectory(Path.Combine(Root, head.Name));
                // The index goes first: once the head file exists the version is served, and must find its index.
                if (neighbours is not null) DurableFile.WriteAllBytes(NeighboursPath(head.Name, stored.Version), Sealed(NeighbourIndexFormat.Write(neighbours)));
                DurableFile.WriteAllBytes(VersionPath(head.Name, stored.Version), file);
                WriteLastVersion(head.Name, stored.Version);
            });
            return stored;
        }
    }

    /// <summary>The version the job <paramref name="jobId"/> stored, or null. Reads versions newest first: a job's
    /// version is among the newest unless many were trained after it.</summary>
    public HeadRecord? FindMadeBy(string name, string jobId)
    {
        if (!ModelRepository.IsValidName(name)) return null;
        foreach (var version in Versions(name).Reverse())
        {
            try
            {
                if (Read(name, version) is { } head && head.JobId == jobId) return head;
            }
            catch (TransferException e) when (e.Code == ErrorCode.FailedPrecondition)
            {
                // A damaged version is not this job's to judge; it is reported when it is read.
            }
        }
        return null;
    }

    public IReadOnlyList<string> Names() =>
        Directory.Exists(Root) ? Directory.EnumerateDirectories(Root).Select(Path.GetFileName).OfType<string>()
            .Where(n => Versions(n).Any()).Order(StringComparer.Ordinal).ToArray() : [];

    public IReadOnlyList<int> Versions(string name)
    {
        var folder = Path.Combine(Root, name);
        try
        {
            return Directory.Exists(folder)
                ? Directory.EnumerateFiles(folder, "v*.head")
                    .Select(f => int.TryParse(Path.GetFileNameWithoutExtension(f)[1..], out var v) ? v : 0)
                    .Where(v => v > 0).Order().ToArray()
                : [];
        }
        catch (DirectoryNotFoundException)
        {
            return []; // deleted while listing
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return []; // an unreadable folder holds no version this service can serve; it must not fail the listing
        }
    }

    /// <summary>The version a reference names. NotFound for an unknown head, version or alias; FailedPrecondition
    /// for an alias whose version no longer exists or a damaged aliases file.</summary>
    public int Resolve(HeadReference reference, string field = "head")
    {
        ValidateName(reference.Name, $"{field}.name");
        var versions = Versions(reference.Name);
        if (versions.Count == 0) throw new TransferException(ErrorCode.NotFound, $"head '{reference.Name}' does not exist", $"{field}.name");
        if (reference.Alias.Length > 0)
        {
            if (!Aliases(reference.Name, $"{field}.alias").TryGetValue(reference.Alias, out var aliased))
                throw new TransferException(ErrorCode.NotFound, $"head '{reference.Name}' has no alias '{reference.Alias}'", $"{field}.alias");
            return versions.Contains(aliased)
                ? aliased
                : throw new TransferException(ErrorCode.FailedPrecondition,
                    $"alias '{reference.Alias}' of head '{reference.Name}' points at v{aliased}, which does not exist; point it at a stored version",
                    $"{field}.alias");
        }
        if (reference.Version == 0) return versions[^1];
        return versions.Contains(reference.Version)
            ? reference.Version
            : throw new TransferException(ErrorCode.NotFound, $"head '{reference.Name}' has no version {reference.Version}", $"{field}.version");
    }

    /// <summary>Reads and verifies a version; NotFound when it is gone (a version exists while its file does, so a
    /// missing file was deleted since it was resolved), FailedPrecondition when its file is unreadable or corrupt.</summary>
    public HeadRecord Read(string name, int version)
    {
        var item = $"head '{name}' v{version}";
        var file = Path.GetFileName(VersionPath(name, version));
        try
        {
            var bytes = File.ReadAllBytes(VersionPath(name, version));
            return JsonSerializer.Deserialize<HeadRecord>(bytes.AsSpan(Unsealed(bytes, item)), Json) ?? throw new InvalidDataException("holds no head");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new TransferException(ErrorCode.NotFound, $"head '{name}' has no version {version} (deleted)", "head", e);
        }
        catch (Exception e) when (StoredData.IsStorageFailure(e))
        {
            throw StoredData.Damaged(item, file, "head", e);
        }
    }

    /// <summary>The version's neighbour index; null for a head trained before indexes were stored (no file).
    /// FailedPrecondition when the file is unreadable or corrupt.</summary>
    public NeighbourIndex? ReadNeighbours(string name, int version)
    {
        var item = $"head '{name}' v{version}";
        var path = NeighboursPath(name, version);
        try
        {
            if (!File.Exists(path)) return null;
            var bytes = File.ReadAllBytes(path);
            return NeighbourIndexFormat.Read(bytes, Unsealed(bytes, item));
        }
        catch (Exception e) when (StoredData.IsStorageFailure(e))
        {
            throw StoredData.Damaged(item, Path.GetFileName(path), "head", e);
        }
    }

    /// <summary>Alias → version; FailedPrecondition on <paramref name="field"/> when the aliases file is damaged.</summary>
    public IReadOnlyDictionary<string, int> Aliases(string name, string field = "head")
    {
        var path = Path.Combine(Root, name, AliasesFile);
        try
        {
            return File.Exists(path)
                ? JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllBytes(path), Json) ?? throw new InvalidDataException("holds no aliases")
                : new Dictionary<string, int>();
        }
        catch (Exception e) when (StoredData.IsStorageFailure(e))
        {
            throw StoredData.Damaged($"head '{name}'", AliasesFile, field, e);
        }
    }

    /// <summary>Points <paramref name="alias"/> at <paramref name="version"/> (a stored one, never 0), replacing
    /// the aliases file in one rename.</summary>
    public void SetAlias(string name, string alias, int version)
    {
        ValidateName(name, "name");
        if (!ModelRepository.IsValidName(alias)) throw TransferException.Invalid("alias", $"alias '{alias}' must be 1-63 characters of a-z, 0-9, '.', '_', '-'");
        if (version <= 0) throw TransferException.Invalid("version", "version must name a stored version (1 or more)");
        lock (Lock(name))
        {
            var versions = Versions(name);
            if (versions.Count == 0) throw new TransferException(ErrorCode.NotFound, $"head '{name}' does not exist", "name");
            if (!versions.Contains(version)) throw new TransferException(ErrorCode.NotFound, $"head '{name}' has no version {version}", "version");
            WriteAliases(name, new Dictionary<string, int>(Aliases(name, "name")) { [alias] = version }, "name");
        }
    }

    /// <summary>Deletes one version (and the aliases pointing at it), or the whole head when the reference names neither a
    /// version nor an alias. Returns the version deleted, or 0 for the whole head.</summary>
    public int Delete(HeadReference reference)
    {
        ValidateName(reference.Name, "head.name");
        lock (Lock(reference.Name))
        {
            // Resolved under the lock: of two deletes racing, the second finds the head or version gone (NOT_FOUND).
            var version = Resolve(reference);
            // Heads stored before the file existed get it now, before their highest version can go.
            Write(reference.Name, "head", () => WriteLastVersion(reference.Name, LastVersion(reference.Name)));
            if (reference.Version == 0 && reference.Alias.Length == 0)
            {
                // Everything but the last version's number: the head is gone from listings, its numbers stay taken.
                Write(reference.Name, "head", () =>
                {
                    foreach (var file in Directory.EnumerateFiles(Path.Combine(Root, reference.Name)))
                        if (Path.GetFileName(file) != LastVersionFile) File.Delete(file);
                });
                return 0;
            }
            var aliases = Aliases(reference.Name).Where(a => a.Value != version).ToDictionary();
            Write(reference.Name, "head", () =>
            {
                File.Delete(VersionPath(reference.Name, version));
                File.Delete(NeighboursPath(reference.Name, version));
            });
            WriteAliases(reference.Name, aliases, "head");
            return version;
        }
    }

    private object Lock(string name) => _locks.GetOrAdd(name, _ => new object());

    /// <summary>The highest version the head has had: its newest stored version, or a higher one deleted since.</summary>
    private int LastVersion(string name)
    {
        var newest = Versions(name).DefaultIfEmpty(0).Max();
        try
        {
            var path = Path.Combine(Root, name, LastVersionFile);
            return File.Exists(path) && int.TryParse(File.ReadAllText(path), out var last) ? Math.Max(last, newest) : newest;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return newest; // an unreadable counter: the stored versions still keep their own numbers
        }
    }

    private void WriteLastVersion(string name, int version) =>
        DurableFile.WriteAllBytes(Path.Combine(Root, name, LastVersionFile), Encoding.ASCII.GetBytes(version.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private void WriteAliases(string name, IReadOnlyDictionary<string, int> aliases, string field) =>
        Write(name, field, () => DurableFile.WriteAllBytes(Path.Combine(Root, name, AliasesFile), JsonSerializer.SerializeToUtf8Bytes(aliases, Json)));

    private static void Write(string name, string field, Action write)
    {
        try { write(); }
        catch (Exception e) when (StoredData.IsStorageFailure(e)) { throw StoredData.WriteFailed($"head '{name}'", field, e); }
    }

    private string VersionPath(string name, int version) => Path.Combine(Root, name, $"v{version}.head");

    private string NeighboursPath(string name, int version) => Path.Combine(Root, name, $"v{version}.neighbours");

    /// <summary>The file for <paramref name="body"/>: its SHA-256 in hex, a newline, the body.</summary>
    private static byte[] Sealed(byte[] body) =>
        [.. Encoding.ASCII.GetBytes(Convert.ToHexStringLower(SHA256.HashData(body)) + "\n"), .. body];

    /// <summary>Where the body of a <see cref="Sealed"/> file starts; FailedPrecondition when it does not match its checksum.</summary>
    private static int Unsealed(byte[] file, string item)
    {
        var newline = Array.IndexOf(file, (byte)'\n');
        var body = newline > 0 ? file.AsSpan(newline + 1) : [];
        if (newline != 64 || Convert.ToHexStringLower(SHA256.HashData(body)) != Encoding.ASCII.GetString(file, 0, 64))
            throw new TransferException(ErrorCode.FailedPrecondition, $"{item} is corrupt on disk (checksum mismatch); it is not served", "head");
        return newline + 1;
    }

    private static void ValidateName(string name, string field)
    {
        if (!ModelRepository.IsValidName(name))
            throw TransferException.Invalid(field, $"{field} '{name}' must be 1-63 characters of a-z, 0-9, '.', '_', '-'");
    }
}
