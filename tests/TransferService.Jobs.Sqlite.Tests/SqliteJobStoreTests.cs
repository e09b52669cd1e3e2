using Microsoft.Data.Sqlite;
using TransferService.Core.Jobs;

namespace TransferService.Jobs.Sqlite.Tests;

/// <summary>The contract on a real SQLite file, and what only the embedded engine promises: one process per folder,
/// and the jobs of a dead process are claimable as soon as the next one opens the store.</summary>
public sealed class SqliteJobStoreTests : JobStoreContract, IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"jobstore-{Guid.NewGuid():N}");
    private SqliteJobStore _store;

    public SqliteJobStoreTests() => _store = new SqliteJobStore(_folder);

    protected override IJobStore Store => _store;

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void Open_SecondStoreOnTheSameFolder_RefusedWhileTheFirstIsOpen()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new SqliteJobStore(_folder));

        Assert.Contains("in use by another process", error.Message);
        _store.Dispose();
        _store = new SqliteJobStore(_folder);
    }

    [Fact]
    public void Reopen_RunningJobOfTheClosedStore_ClaimableAtOnceWithAHigherFenceAndItsCheckpoint()
    {
        var job = Submitted(Job(payload: "{\"rows\":10}"));
        var before = Store.ClaimNext("dead-process", T0, Lease, 3)!;
        Store.CommitCheckpoint(job.Info.Id, before.Fence, "chunk 2", new JobProgress("extracting", 0.4));
        var queued = Submitted(Job());
        _store.Dispose();

        _store = new SqliteJobStore(_folder);
        var freed = Store.ExpireDeadOwners(T0 + TimeSpan.FromSeconds(1));
        var resumed = Store.ClaimNext("next-process", T0 + TimeSpan.FromSeconds(1), Lease, 3)!;

        Assert.Equal(1, freed);
        Assert.Equal(job.Info.Id, resumed.Info.Id);
        Assert.True(resumed.Fence > before.Fence);
        Assert.Equal(("chunk 2", "{\"rows\":10}", 2), (resumed.Checkpoint, resumed.Payload, resumed.Info.Attempts));
        Assert.Equal(JobState.Queued, Store.Get(queued.Info.Id)!.Info.State);
    }

    [Fact]
    public void Reopen_JobWithTraceParent_KeepsItAndCountsActiveJobsByKindAndState()
    {
        const string traceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        var traced = Submitted(Job(kind: "train_head") with { TraceParent = traceParent });
        Submitted(Job(kind: "train_head"));
        Submitted(Job(kind: "extract_features"));
        Store.ClaimNext("owner", T0, Lease, 3);
        _store.Dispose();

        _store = new SqliteJobStore(_folder);

        Assert.Equal(traceParent, Store.Get(traced.Info.Id)!.TraceParent);
        Assert.Equal([("extract_features", JobState.Queued, 1), ("train_head", JobState.Queued, 1), ("train_head", JobState.Running, 1)],
            Store.CountActive().OrderBy(c => c.Kind).ThenBy(c => c.State));
    }

    [Fact]
    public void Open_VersionOneFile_MigratedKeepingItsJobs()
    {
        var job = Submitted(Job(payload: "{\"rows\":3}"));
        _store.Dispose();
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(_folder, "jobs.db")};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "ALTER TABLE jobs DROP COLUMN trace_parent; PRAGMA user_version = 1;";
            command.ExecuteNonQuery();
        }

        _store = new SqliteJobStore(_folder);

        var migrated = Store.Get(job.Info.Id)!;
        Assert.Equal(("{\"rows\":3}", null), (migrated.Payload, migrated.TraceParent));
        Assert.Equal(JobState.Queued, migrated.Info.State);
    }

    [Fact]
    public void Open_NewFile_WalModeFullSyncAndSchemaVersion()
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_folder, "jobs.db")}");
        connection.Open();
        string Pragma(string name)
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA {name}";
            return Convert.ToString(command.ExecuteScalar())!;
        }

        Assert.Equal("wal", Pragma("journal_mode"));
        Assert.Equal(SqliteJobStore.SchemaVersion.ToString(), Pragma("user_version"));
    }
}
