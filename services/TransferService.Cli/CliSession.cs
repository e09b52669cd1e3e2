using System.CommandLine;
using Grpc.Core;
using Spectre.Console;
using TransferService.Client;
using TransferService.Client.Errors;

namespace TransferService.Cli;

/// <summary>What every command runs with: the console it writes to, the writer for error lines, and a client made
/// from the global options. Turns a failure into one line on the error writer and exit code 1.</summary>
public sealed class CliSession(IAnsiConsole console, TextWriter error)
{
    public GlobalOptions Options { get; } = new();

    public IAnsiConsole Console { get; } = console;

    public void SetAction(Command command, Func<ParseResult, TransferClient, CancellationToken, Task<int>> action) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            var address = parse.GetValue(Options.Address)!;
            try
            {
                using var client = new TransferClient(address, parse.GetValue(Options.ApiKey));
                return await action(parse, client, cancellationToken);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
            {
                await error.WriteLineAsync($"error: {TransferError.From(e)} (is the server running at {address}? see --address)");
                return 1;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
            {
                await error.WriteLineAsync("error: cancelled");
                return 130;
            }
            catch (RpcException e)
            {
                await error.WriteLineAsync($"error: {TransferError.From(e)}");
                return 1;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or FormatException
                                          or System.Text.Json.JsonException or UriFormatException)
            {
                await error.WriteLineAsync($"error: {e.Message}");
                return 1;
            }
        });
}
