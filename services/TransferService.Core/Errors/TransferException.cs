namespace TransferService.Core.Errors;

/// <summary>The one exception Core throws for an expected failure. <see cref="Field"/> names the offending
/// request field (e.g. <c>inputs[3].image</c>) when there is one.</summary>
public sealed class TransferException(ErrorCode code, string message, string? field = null, Exception? inner = null)
    : Exception(message, inner)
{
    public ErrorCode Code { get; } = code;
    public string? Field { get; } = field;

    /// <summary>For ResourceExhausted: when a retry is likely to be accepted (sent as google.rpc.RetryInfo).</summary>
    public TimeSpan? RetryAfter { get; init; }

    public static TransferException Invalid(string field, string message) => new(ErrorCode.InvalidArgument, message, field);

    /// <summary>The same error with its field placed under <paramref name="prefix"/> (e.g. "inputs[2]").</summary>
    public TransferException WithFieldPrefix(string prefix) =>
        new(Code, $"{prefix}: {Message}", Field is null ? prefix : $"{prefix}.{Field}", this);
}
