using System.CommandLine;
using Spectre.Console;
using TransferService.Cli.Commands;

namespace TransferService.Cli;

/// <summary>The <c>transfer</c> command line: parses, runs one command against the server, returns the exit code
/// (0 success; 1 a server error, printed as one line with its status code and field, or a local error).</summary>
public static class CliApp
{
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, bool interactive,
        CancellationToken cancellationToken = default)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!interactive) console.Profile.Width = 160;
        var session = new CliSession(console, error);
        var root = new RootCommand("Talk to a TransferService: embeddings, datasets, heads, extraction, jobs, backbones, keys.")
        {
            session.Options.Address,
            session.Options.ApiKey,
            EmbedCommand.Create(session),
            DatasetsCommand.Create(session),
            HeadsCommand.Create(session),
            ClassifyCommand.Create(session),
            ExtractCommand.Create(session),
            BackbonesCommand.Create(session),
            KeysCommand.Create(session),
            JobsCommand.Create(session),
            HealthCommand.Create(session),
        };
        return root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
    }
}
