using System.CommandLine;
using Spectre.Console;
using TransferService.Contracts.V1;

namespace TransferService.Cli.Commands;

/// <summary><c>transfer backbones list|load|unload</c>: the server's model repository, and (admin) loading a new or
/// edited backbone folder or unloading one.</summary>
public static class BackbonesCommand
{
    public static Command Create(CliSession session) =>
        new("backbones", "List the server's backbones; load or unload one (admin)") { List(session), Load(session), Unload(session) };

    private static Command List(CliSession session)
    {
        var command = new Command("list", "List the backbones: modality, dimension, state and the lanes each is loaded on");
        session.SetAction(command, async (_, client, cancellationToken) =>
        {
            var reply = await client.Backbones.ListBackbonesAsync(new ListBackbonesRequest(), cancellationToken: cancellationToken);
            var table = new Table().AddColumns("name", "version", "modality", "dimension", "state", "lanes", "items embedded");
            foreach (var b in reply.Backbones)
                table.AddRow(Markup.Escape(b.Name), Markup.Escape(b.Version), Name(b.Modality.ToString()), b.Dimension.ToString(),
                    Markup.Escape(b.State == BackboneState.Failed ? $"failed: {b.Error}" : Name(b.State.ToString())),
                    Markup.Escape(string.Join(", ", b.Lanes)), b.ItemsEmbedded.ToString());
            session.Console.Write(table);
            return 0;
        });
        return command;
    }

    private static Command Load(CliSession session) => Change(session, "load",
        "Read a backbone's folder again and load it on the lanes with room (admin)",
        async (client, name, cancellationToken) => (await client.Backbones.LoadBackboneAsync(new LoadBackboneRequest { Name = name }, cancellationToken: cancellationToken)).Backbone);

    private static Command Unload(CliSession session) => Change(session, "unload", "Unload a backbone from every lane (admin)",
        async (client, name, cancellationToken) => (await client.Backbones.UnloadBackboneAsync(new UnloadBackboneRequest { Name = name }, cancellationToken: cancellationToken)).Backbone);

    private static Command Change(CliSession session, string verb, string description,
        Func<Client.TransferClient, string, CancellationToken, Task<Backbone>> call)
    {
        var name = new Argument<string>("backbone") { Description = "The backbone's name" };
        var command = new Command(verb, description) { name };
        session.SetAction(command, async (parse, client, cancellationToken) =>
        {
            var backbone = await call(client, parse.GetValue(name)!, cancellationToken);
            var lanes = backbone.Lanes.Count > 0 ? $" on {string.Join(", ", backbone.Lanes)}" : "";
            session.Console.MarkupLineInterpolated($"{backbone.Name} {backbone.Version}: {Name(backbone.State.ToString())}{lanes}");
            return 0;
        });
        return command;
    }

    /// <summary>An enum value in lower case: Image → image, Ready → ready.</summary>
    private static string Name(string value) => value.ToLowerInvariant();
}
