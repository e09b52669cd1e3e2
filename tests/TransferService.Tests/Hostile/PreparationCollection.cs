namespace TransferService.Tests.Hostile;

/// <summary>Tests that measure the test process's CPU time and memory (it hosts the server): they run alone,
/// after the parallel ones, so no other test's work is counted.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PreparationCollection : ICollectionFixture<PreparationServer>
{
    public const string Name = "preparation measurements";
}
