using System.CommandLine;

namespace TransferService.Cli;

/// <summary>Options every command takes: where the server is and the key to call it with. Made afresh for each
/// command tree, since an option records the commands it belongs to.</summary>
public sealed class GlobalOptions
{
    public const string AddressVariable = "TRANSFER_ADDRESS";
    public const string ApiKeyVariable = "TRANSFER_API_KEY";
    public const string DefaultAddress = "http://localhost:50051";

    public Option<string> Address { get; } = new("--address")
    {
        Description = $"The server's address (default: ${AddressVariable}, else {DefaultAddress})",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(AddressVariable) is { Length: > 0 } address ? address : DefaultAddress,
    };

    public Option<string?> ApiKey { get; } = new("--api-key")
    {
        Description = $"API key sent as 'authorization: Bearer <key>' (default: ${ApiKeyVariable})",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(ApiKeyVariable),
    };
}
