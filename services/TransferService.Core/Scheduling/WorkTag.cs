namespace TransferService.Core.Scheduling;

/// <summary>Whose device work this is and in which priority class: travels with every item and slice, so the lane's
/// scheduler can order it (class first, then weighted fair share between tenants).</summary>
public sealed record WorkTag(string Tenant, Priority Priority)
{
    /// <summary>The service's own work (warm-up): interactive, charged to no caller.</summary>
    public static readonly WorkTag System = new("system", Priority.Interactive);

    public static WorkTag Interactive(string tenant) => new(tenant, Priority.Interactive);
}
