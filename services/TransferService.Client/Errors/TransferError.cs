using Google.Rpc;
using Grpc.Core;

namespace TransferService.Client.Errors;

/// <summary>What the server said about a failed call, in one line: the status code as gRPC names it
/// (<c>INVALID_ARGUMENT</c>), the field its <c>google.rpc.BadRequest</c> detail names, and the message.</summary>
public sealed record TransferError(StatusCode Code, string? Field, string Message)
{
    public static TransferError From(RpcException exception)
    {
        var field = exception.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.FirstOrDefault()?.Field;
        return new TransferError(exception.StatusCode, string.IsNullOrEmpty(field) ? null : field, exception.Status.Detail);
    }

    /// <summary>INVALID_ARGUMENT for <see cref="StatusCode.InvalidArgument"/>, and so on.</summary>
    public string CodeName => Code == StatusCode.OK ? "OK" : string.Concat(Code.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? $"_{c}" : $"{char.ToUpperInvariant(c)}"));

    public override string ToString() => Field is null ? $"{CodeName}: {Message}" : $"{CodeName} ({Field}): {Message}";
}
