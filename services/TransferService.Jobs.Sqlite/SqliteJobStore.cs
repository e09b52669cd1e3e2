using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Data.Sqlite;
using TransferService.Core.Errors;
using TransferService.Core.Jobs;
using TransferService.Core.Scheduling;

namespace TransferService.Jobs.Sqlite;

/// <summary>The embedded job store: <c>&lt;folder&gt;/jobs.db</c>, in WAL mode with <c>synchronous=FULL</c>, so every
/// committed state change survives a crash or a power cut. Holds every SQL statement of the job store.
/// <para>One process per data folder: the store holds an exclusive lock on <c>jobs.lock</c> for its life (the OS
/// drops it when the process dies, kill -9 included), and a second store on the same folder fails to open. So a
/// store that opens knows that the owners of the jobs still marked Running are dead: <see cref="ExpireDeadOwners"/>
/// frees all of them, and a restart resumes them at once instead of after their lease. (A store shared by several
/// replicas cannot prove that; there a lease runs out.)</para>
/// <para>One connection, used under a lock: SQLite runs one writer at a time anyway, and this keeps each method one
/// transaction with no busy retries. Schema version in <c>PRAGMA user_version</c>. Dispose to close and unlock.</para></summary>
public sealed class SqliteJobStore : IJobStore, IDisposable
{
    public const int SchemaVersion = 2;
    private const string Columns = "id, tenant, kind, priority, payload, idempotency_key, state, progress, checkpoint, result, " +
        "error_code, error_message, error_field, attempts, created, started, finished, not_before, cancel_requested, owner, lease_expires, fence, trace_parent";
    private const string Runnable = "(state = 'queued' AND (not_before IS NULL OR not_before <= $now)) OR (state = 'running' AND lease_expires <= $now)";
    private const string Claimed = "id = $id AND fence = $fence AND state = 'running'";
    private const string PageTokenPrefix = "after:";
    /// <summary>Losses are NaN when a split leaves no validation rows.</summary>
    private static readonly JsonSerializerOptions ProgressJson = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    private readonly FileStream _lock;
    private readonly SqliteConnection _db;
    private readonly Lock _gate = new();

    public SqliteJobStore(string folder)
    {
        Directory.CreateDirectory(folder);
        try
        {
            _lock = new FileStream(Path.Combine(folder, "jobs.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new InvalidOperationException($"The job store in {folder} is in use by another process: one service runs per data folder", e);
        }
        _db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder, "jobs.db"), Pooling = false }.ToString());
        _db.Open();
        Run(null, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;");
        Migrate();
    }

    private void Migrate()
    {
        var version = Convert.ToInt32(Scalar(null, "PRAGMA user_version"));
        if (version > SchemaVersion)
            throw new InvalidOperationException($"The job store has schema version {version}; this version of the service reads up to {SchemaVersion}");
        if (version == SchemaVersion) return;
        using var tx = _db.BeginTransaction();
        if (version < 1) CreateVersion1(tx);
        // Version 2: the submitting call's traceparent, so a job's spans link to it (null for jobs made before).
        Run(tx, "ALTER TABLE jobs ADD COLUMN trace_parent TEXT; PRAGMA user_version = 2;");
        tx.Commit();
    }

    private void CreateVersion1(SqliteTransaction tx)
    {
        Run(tx, """
            CREATE TABLE jobs (
              seq INTEGER PRIMARY KEY AUTOINCREMENT,
              id TEXT NOT NULL UNIQUE,
              tenant TEXT NOT NULL,
              kind TEXT NOT NULL,
              priority INTEGER NOT NULL,
              payload TEXT NOT NULL,
              idempotency_key TEXT,
              state TEXT NOT NULL,
              progress TEXT NOT NULL,
              checkpoint TEXT,
              result TEXT NOT NULL DEFAULT '',
              error_code TEXT,
              error_message TEXT,
              error_field TEXT,
              attempts INTEGER NOT NULL DEFAULT 0,
              created INTEGER NOT NULL,
              started INTEGER,
              finished INTEGER,
              not_before INTEGER,
              cancel_requested INTEGER NOT NULL DEFAULT 0,
              owner TEXT,
              lease_expires INTEGER,
              fence INTEGER NOT NULL DEFAULT 0);
            CREATE UNIQUE INDEX jobs_idempotency ON jobs (tenant, idempotency_key) WHERE idempotency_key IS NOT NULL;
            CREATE INDEX jobs_runnable ON jobs (state, priority, seq);
            CREATE INDEX jobs_tenant ON jobs (tenant, seq);
            PRAGMA user_version = 1;
            """);
    }

    public JobSubmitted Submit(JobRecord job, int maxActivePerTenant)
    {
        var info = job.Info;
        lock (_gate)
        {
            using var tx = _db.BeginTransaction();
            if (info.IdempotencyKey is { } key && ReadOne(tx, "tenant = $tenant AND idempotency_key = $key", ("$tenant", info.Tenant), ("$key", key)) is { } existing)
                return new JobSubmitted(existing, Created: false, 0);
            var active = Convert.ToInt32(Scalar(tx, "SELECT count(*) FROM jobs WHERE tenant = $tenant AND state IN ('queued', 'running')", ("$tenant", info.Tenant)));
            if (active >= maxActivePerTenant) return new JobSubmitted(null, Created: false, active);
            Run(tx, $"""
                INSERT INTO jobs (id, tenant, kind, priority, payload, idempotency_key, state, progress, created, trace_parent)
                VALUES ($id, $tenant, $kind, $priority, $payload, $key, $state, $progress, $created, $trace)
                """, ("$trace", job.TraceParent),
                ("$id", info.Id), ("$tenant", info.Tenant), ("$kind", info.Kind), ("$priority", (int)info.Priority), ("$payload", job.Payload),
                ("$key", info.IdempotencyKey), ("$state", StateName(JobState.Queued)), ("$progress", Json(info.Progress)), ("$created", Millis(info.Created)));
            tx.Commit();
            return new JobSubmitted(job with { Info = info with { State = JobState.Queued } }, Created: true, active + 1);
        }
    }

    public JobRecord? Get(string id)
    {
        lock (_gate) return ReadOne(null, "id = $id", ("$id", id));
    }

    public JobPage List(JobQuery query)
    {
        var filters = new List<string>();
        var args = new List<(string, object?)> { ("$limit", query.PageSize + 1) };
        if (query.Tenant is not null) { filters.Add("tenant = $tenant"); args.Add(("$tenant", query.Tenant)); }
        if (query.State is { } state) { filters.Add("state = $state"); args.Add(("$state", StateName(state))); }
        if (query.Kind is not null) { filters.Add("kind = $kind"); args.Add(("$kind", query.Kind)); }
        if (query.PageToken is { Length: > 0 } token) { filters.Add("seq < $after"); args.Add(("$after", AfterSeq(token))); }
        var where = filters.Count > 0 ? "WHERE " + string.Join(" AND ", filters) : "";
        List<(long Seq, JobRecord Job)> rows;
        lock (_gate) rows = Read(null, $"SELECT seq, {Columns} FROM jobs {where} ORDER BY seq DESC LIMIT $limit", [.. args]);
        var next = rows.Count > query.PageSize ? PageToken(rows[query.PageSize - 1].Seq) : null;
        return new JobPage(rows.Take(query.PageSize).Select(r => r.Job).ToArray(), next);
    }

    public JobRecord? ClaimNext(string owner, DateTimeOffset now, TimeSpan lease, int maxAttempts)
    {
        lock (_gate)
        {
            using var tx = _db.BeginTransaction();
            var at = Millis(now);
            Run(tx, """
                UPDATE jobs SET state = 'failed', finished = $now, owner = NULL, lease_expires = NULL, error_code = 'Internal', error_field = NULL,
                  error_message = 'the job was started ' || CASE attempts WHEN 1 THEN 'once' ELSE attempts || ' times' END ||
                                  ' and the service stopped or crashed each time before it finished; it is not started again (at most ' || $max || ' attempts)'
                WHERE state = 'running' AND lease_expires <= $now AND cancel_requested = 0 AND attempts >= $max
                """, ("$now", at), ("$max", maxAttempts));
            Run(tx, "UPDATE jobs SET state = 'cancelled', finished = $now, owner = NULL, lease_expires = NULL WHERE state = 'running' AND lease_expires <= $now AND cancel_requested = 1",
                ("$now", at));
            var claimed = Read(tx, $"""
                UPDATE jobs SET state = 'running', owner = $owner, lease_expires = $expires, fence = fence + 1, attempts = attempts + 1,
                  started = coalesce(started, $now), not_before = NULL
                WHERE seq = (SELECT seq FROM jobs WHERE {Runnable} ORDER BY priority, seq LIMIT 1)
                RETURNING seq, {Columns}
                """, ("$now", at), ("$owner", owner), ("$expires", Millis(now + lease)));
            tx.Commit();
            return claimed.Count > 0 ? claimed[0].Job : null;
        }
    }

    public int ExpireDeadOwners(DateTimeOffset now)
    {
        lock (_gate) return Run(null, "UPDATE jobs SET lease_expires = $now WHERE state = 'running' AND lease_expires > $now", ("$now", Millis(now)));
    }

    public LeaseState Heartbeat(string id, long fence, DateTimeOffset leaseExpires, JobProgress? progress)
    {
        lock (_gate)
        {
            var cancel = Scalar(null, $"UPDATE jobs SET lease_expires = $expires, progress = coalesce($progress, progress) WHERE {Claimed} RETURNING cancel_requested",
                ("$id", id), ("$fence", fence), ("$expires", Millis(leaseExpires)), ("$progress", progress is null ? null : Json(progress)));
            return cancel is null ? LeaseState.Lost : Convert.ToInt64(cancel) == 1 ? LeaseState.CancelRequested : LeaseState.Held;
        }
    }

    public bool CommitCheckpoint(string id, long fence, string checkpoint, JobProgress progress)
    {
        lock (_gate)
            return Run(null, $"UPDATE jobs SET checkpoint = $checkpoint, progress = $progress WHERE {Claimed}",
                ("$id", id), ("$fence", fence), ("$checkpoint", checkpoint), ("$progress", Json(progress))) == 1;
    }

    public bool Finish(string id, long fence, JobState state, JobProgress progress, string result, TransferException? error, DateTimeOffset now)
    {
        lock (_gate)
            return Run(null, $"""
                UPDATE jobs SET state = $state, progress = $progress, result = $result, error_code = $code, error_message = $message, error_field = $field,
                  finished = $now, owner = NULL, lease_expires = NULL
                WHERE {Claimed}
                """, ("$id", id), ("$fence", fence), ("$state", StateName(state)), ("$progress", Json(progress)), ("$result", result),
                ("$code", error?.Code.ToString()), ("$message", error?.Message), ("$field", error?.Field), ("$now", Millis(now))) == 1;
    }

    public bool Requeue(string id, long fence, DateTimeOffset notBefore, TransferException error)
    {
        lock (_gate)
            return Run(null, $"""
                UPDATE jobs SET state = 'queued', owner = NULL, lease_expires = NULL, not_before = $notBefore,
                  error_code = $code, error_message = $message, error_field = $field
                WHERE {Claimed}
                """, ("$id", id), ("$fence", fence), ("$notBefore", Millis(notBefore)),
                ("$code", error.Code.ToString()), ("$message", error.Message), ("$field", error.Field)) == 1;
    }

    public bool Release(string id, long fence)
    {
        lock (_gate)
            return Run(null, $"UPDATE jobs SET state = 'queued', owner = NULL, lease_expires = NULL, attempts = attempts - 1 WHERE {Claimed}",
                ("$id", id), ("$fence", fence)) == 1;
    }

    public JobRecord? RequestCancel(string id, DateTimeOffset now)
    {
        lock (_gate)
        {
            using var tx = _db.BeginTransaction();
            Run(tx, "UPDATE jobs SET state = 'cancelled', finished = $now WHERE id = $id AND state = 'queued'", ("$id", id), ("$now", Millis(now)));
            Run(tx, "UPDATE jobs SET cancel_requested = 1 WHERE id = $id AND state = 'running'", ("$id", id));
            var job = ReadOne(tx, "id = $id", ("$id", id));
            tx.Commit();
            return job;
        }
    }

    private JobRecord? ReadOne(SqliteTransaction? tx, string where, params (string, object?)[] args)
    {
        var rows = Read(tx, $"SELECT seq, {Columns} FROM jobs WHERE {where}", args);
        return rows.Count > 0 ? rows[0].Job : null;
    }

    private List<(long Seq, JobRecord Job)> Read(SqliteTransaction? tx, string sql, params (string, object?)[] args)
    {
        using var command = Command(tx, sql, args);
        using var reader = command.ExecuteReader();
        var rows = new List<(long, JobRecord)>();
        while (reader.Read()) rows.Add((reader.GetInt64(0), Row(reader)));
        return rows;
    }

    /// <summary>A row read with <see cref="Columns"/> after the seq column.</summary>
    private static JobRecord Row(SqliteDataReader r)
    {
        string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        DateTimeOffset? Time(int i) => r.IsDBNull(i) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(i));
        var error = Text(11) is { } code ? new TransferException(Enum.Parse<ErrorCode>(code), Text(12) ?? "", Text(13)) : null;
        var info = new JobInfo(r.GetString(1), r.GetString(2), r.GetString(3), Enum.Parse<JobState>(r.GetString(7), ignoreCase: true),
            JsonSerializer.Deserialize<JobProgress>(r.GetString(8), ProgressJson)!, r.GetString(10), error, Time(15)!.Value, Time(16), Time(17))
        {
            Priority = (Priority)r.GetInt32(4), IdempotencyKey = Text(6), Attempts = r.GetInt32(14),
        };
        return new JobRecord(info, r.GetString(5))
        {
            Checkpoint = Text(9), NotBefore = Time(18), CancelRequested = r.GetInt64(19) == 1, Owner = Text(20), LeaseExpires = Time(21), Fence = r.GetInt64(22),
            TraceParent = Text(23),
        };
    }

    public IReadOnlyList<(string Kind, JobState State, int Count)> CountActive()
    {
        lock (_gate)
        {
            using var command = Command(null, "SELECT kind, state, count(*) FROM jobs WHERE state IN ('queued', 'running') GROUP BY kind, state", []);
            using var reader = command.ExecuteReader();
            var counts = new List<(string, JobState, int)>();
            while (reader.Read()) counts.Add((reader.GetString(0), Enum.Parse<JobState>(reader.GetString(1), ignoreCase: true), reader.GetInt32(2)));
            return counts;
        }
    }

    private int Run(SqliteTransaction? tx, string sql, params (string, object?)[] args)
    {
        using var command = Command(tx, sql, args);
        return command.ExecuteNonQuery();
    }

    private object? Scalar(SqliteTransaction? tx, string sql, params (string, object?)[] args)
    {
        using var command = Command(tx, sql, args);
        return command.ExecuteScalar();
    }

    private SqliteCommand Command(SqliteTransaction? tx, string sql, (string Name, object? Value)[] args)
    {
        var command = _db.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        foreach (var (name, value) in args) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    private static string StateName(JobState state) => state.ToString().ToLowerInvariant();

    private static long Millis(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    private static string Json(JobProgress progress) => JsonSerializer.Serialize(progress, ProgressJson);

    private static string PageToken(long seq) => Base64Url.EncodeToString(Encoding.ASCII.GetBytes(PageTokenPrefix + seq));

    private static long AfterSeq(string token)
    {
        try
        {
            var text = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(token));
            if (text.StartsWith(PageTokenPrefix, StringComparison.Ordinal) && long.TryParse(text.AsSpan(PageTokenPrefix.Length), out var seq) && seq > 0) return seq;
        }
        catch (FormatException)
        {
        }
        throw TransferException.Invalid("page_token", "page_token is not one that ListJobs returned; omit it for the first page");
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _db.Dispose();
            _lock.Dispose();
        }
    }
}
