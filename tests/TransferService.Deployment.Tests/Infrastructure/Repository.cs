namespace TransferService.Deployment.Tests.Infrastructure;

/// <summary>The repository checkout these tests run in: its deployment files are what they read.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    public static string Read(string relative) => File.ReadAllText(PathOf(relative));

    private static string FindRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "TransferService.sln"))) folder = folder.Parent;
        return folder?.FullName ?? throw new DirectoryNotFoundException("the tests run outside the repository checkout");
    }
}
