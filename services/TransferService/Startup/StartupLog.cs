namespace TransferService.Startup;

/// <summary>The lines the host writes about its own life: one when it listens, one when it serves, one when it stops.</summary>
internal static partial class StartupLog
{
    [LoggerMessage(1, LogLevel.Information, "TransferService listening on {Addresses}; device lanes {Lanes}")]
    public static partial void Listening(ILogger logger, string addresses, string lanes);

    [LoggerMessage(2, LogLevel.Information, "Serving: backbones {Backbones} loaded and warmed in {Seconds:0.0} s")]
    public static partial void Serving(ILogger logger, string backbones, double seconds);

    [LoggerMessage(3, LogLevel.Error, "Start-up failed; health stays NOT_SERVING")]
    public static partial void StartFailed(ILogger logger, Exception exception);

    [LoggerMessage(4, LogLevel.Information, "Stopping: health is NOT_SERVING; in-flight calls and running jobs get up to {Seconds:0} s to finish or hand back")]
    public static partial void Stopping(ILogger logger, double seconds);
}
