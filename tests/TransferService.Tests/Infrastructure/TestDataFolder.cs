using System.Diagnostics;

namespace TransferService.Tests.Infrastructure;

/// <summary>Where the tests' data lies: the user-level cache that test.sh fills ($TRANSFERSERVICE_TEST_DATA, default
/// ~/.cache/transferservice-test-data), else where a machine set up by hand installed it system-wide.</summary>
public static class TestDataFolder
{
    public const string Variable = "TRANSFERSERVICE_TEST_DATA";

    public static string Root =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } folder ? folder
        : Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } cache ? cache
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "transferservice-test-data");

    /// <summary>The cache's <paramref name="name"/> folder when test.sh has filled it, else <paramref name="systemFolder"/>.</summary>
    public static string Find(string name, string systemFolder)
    {
        var cached = Path.Combine(Root, name);
        return Directory.Exists(cached) ? cached : systemFolder;
    }

    /// <summary>Lets Debian's python3 import the numpy test.sh unpacked into the cache, where the system has none.</summary>
    public static ProcessStartInfo WithUnpackedNumpy(ProcessStartInfo start)
    {
        var root = Path.Combine(Root, "numpy");
        if (!Directory.Exists(root)) return start;
        var libraries = Path.Combine(root, "usr", "lib", "x86_64-linux-gnu");
        start.Environment["PYTHONPATH"] = Path.Combine(root, "usr", "lib", "python3", "dist-packages");
        start.Environment["LD_LIBRARY_PATH"] = string.Join(':', libraries, Path.Combine(libraries, "blas"), Path.Combine(libraries, "lapack"));
        return start;
    }

    public static string Missing(string path) => $"{path} is missing: run ./test.sh once (it fetches the test data into {Variable})";
}
