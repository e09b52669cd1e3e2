using Grpc.Core;

namespace TransferService.Grpc;

/// <summary>The tenant a call acts for. Until authentication turns credentials into a caller, the service runs as
/// the single "default" tenant (the no-keys case in the design).</summary>
internal static class CallerTenant
{
    public const string Default = "default";

    public static string Of(ServerCallContext context) => Default;
}
