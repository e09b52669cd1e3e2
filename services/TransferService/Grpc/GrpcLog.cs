namespace TransferService.Grpc;

/// <summary>What the gRPC layer logs. A refused call is the client's business, not the operator's: Debug, so a client
/// sending bad requests cannot fill the log; a bug is an Error with its stack, once.</summary>
internal static partial class GrpcLog
{
    [LoggerMessage(1, LogLevel.Debug, "{Method} refused: {Code} {Field}: {Message}")]
    public static partial void Refused(ILogger logger, string method, Core.Errors.ErrorCode code, string? field, string message);

    [LoggerMessage(2, LogLevel.Error, "{Method} failed")]
    public static partial void Failed(ILogger logger, Exception exception, string method);

    [LoggerMessage(3, LogLevel.Error, "EmbedStream item {Id} failed")]
    public static partial void StreamItemFailed(ILogger logger, Exception exception, string id);
}
