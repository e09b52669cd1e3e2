namespace TransferService.Core.Errors;

/// <summary>The closed set of failures Core reports; the host maps each to one gRPC status.</summary>
public enum ErrorCode
{
    InvalidArgument,
    NotFound,
    FailedPrecondition,
    ResourceExhausted,
    Unavailable,
    Cancelled,
    /// <summary>The work lost a race it cannot win, e.g. a job whose lease another owner has claimed.</summary>
    Aborted,
    /// <summary>A server-side time limit ran out (a stream that made no progress for too long).</summary>
    DeadlineExceeded,
    Unauthenticated,
    PermissionDenied,
    Internal,
}
