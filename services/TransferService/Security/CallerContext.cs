using Grpc.Core;
using TransferService.Core.Security;

namespace TransferService.Security;

/// <summary>The caller that <see cref="AuthenticationInterceptor"/> attached to a call.</summary>
internal static class CallerContext
{
    private const string Key = "transfer.caller";

    public static void SetCaller(this ServerCallContext context, Caller caller) => context.UserState[Key] = caller;

    public static Caller Caller(this ServerCallContext context) =>
        context.UserState.TryGetValue(Key, out var caller) ? (Caller)caller : throw new InvalidOperationException("no caller on this call");

    /// <summary>The tenant whose data the call reads and writes.</summary>
    public static string Tenant(this ServerCallContext context) => context.Caller().Tenant;
}
