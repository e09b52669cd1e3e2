using System.Text.Json;
using TransferService.Core.Errors;

namespace TransferService.Core.Storage;

/// <summary>Failures of stored files turned into errors a client may see. File and Directory exceptions carry
/// the server's paths in their messages, so these messages name the item and the file, never a path.</summary>
public static class StoredData
{
    /// <summary>True for the exceptions that mean a stored file is missing, unreadable, damaged or cannot be
    /// written (not a bug).</summary>
    public static bool IsStorageFailure(Exception exception) =>
        exception is IOException or UnauthorizedAccessException or JsonException or InvalidDataException or FormatException;

    /// <summary>FailedPrecondition: <paramref name="item"/> (e.g. "dataset ds-1") cannot be used because
    /// <paramref name="file"/> is missing, truncated, unreadable or malformed.</summary>
    public static TransferException Damaged(string item, string file, string field, Exception cause) =>
        new(ErrorCode.FailedPrecondition, $"{item} is damaged on disk: {file} {Reason(cause)}", field, cause);

    /// <summary>Unavailable: a write failed (a full or read-only disk); the client may retry later.</summary>
    public static TransferException WriteFailed(string item, string field, Exception cause) =>
        new(ErrorCode.Unavailable, $"{item} could not be written to storage (disk full or not writable)", field, cause);

    private static string Reason(Exception cause) => cause switch
    {
        FileNotFoundException or DirectoryNotFoundException => "is missing",
        EndOfStreamException => "is truncated",
        JsonException => "is not valid JSON",
        // Thrown by the stores themselves, with path-free messages.
        InvalidDataException => cause.Message,
        UnauthorizedAccessException => "cannot be read (permission denied)",
        _ => "cannot be read",
    };
}
