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
    Unauthenticated,
    PermissionDenied,
    Internal,
}
