using System.CommandLine;
using Spectre.Console;
using TransferService.Contracts.V1;

namespace TransferService.Cli.Commands;

/// <summary><c>transfer keys create|list|revoke</c>: API keys over <c>AccessService</c>, for an admin key's holder
/// (the service's own <c>keys</c> command does the same on its data folder, with no key needed).</summary>
public static class KeysCommand
{
    public static Command Create(CliSession session) =>
        new("keys", "Create, list and revoke API keys (admin)") { CreateKey(session), List(session), Revoke(session) };

    private static Command CreateKey(CliSession session)
    {
        var tenant = new Option<string>("--tenant") { Description = "The tenant the key belongs to", Required = true };
        var roles = new Option<Role[]>("--role") { Description = "User or Admin; repeatable (default: User)" };
        var description = new Option<string?>("--description") { Description = "What the key is for" };
        var command = new Command("create", "Create a key; its secret is printed once and cannot be read again") { tenant, roles, description };
        session.SetAction(command, async (parse, client, cancellationToken) =>
        {
            var request = new CreateApiKeyRequest { Tenant = parse.GetValue(tenant)!, Description = parse.GetValue(description) ?? "" };
            request.Roles.AddRange(parse.GetValue(roles) is { Length: > 0 } given ? given : [Role.User]);
            var reply = await client.Access.CreateApiKeyAsync(request, cancellationToken: cancellationToken);
            session.Console.MarkupLineInterpolated($"created key {reply.Key.Id} for tenant {reply.Key.Tenant} ({Roles(reply.Key)})");
            session.Console.WriteLine("present it as 'authorization: Bearer <key>' (--api-key, $TRANSFER_API_KEY); it is shown only now:");
            session.Console.WriteLine(reply.Secret);
            return 0;
        });
        return command;
    }

    private static Command List(CliSession session)
    {
        var command = new Command("list", "List the keys (never their secrets)");
        session.SetAction(command, async (_, client, cancellationToken) =>
        {
            var reply = await client.Access.ListApiKeysAsync(new ListApiKeysRequest(), cancellationToken: cancellationToken);
            var table = new Table().AddColumns("id", "tenant", "roles", "created", "description");
            foreach (var k in reply.Keys)
                table.AddRow(Markup.Escape(k.Id), Markup.Escape(k.Tenant), Roles(k), k.Created?.ToDateTime().ToString("u") ?? "", Markup.Escape(k.Description));
            session.Console.Write(table);
            return 0;
        });
        return command;
    }

    private static Command Revoke(CliSession session)
    {
        var id = new Argument<string>("key") { Description = "The key's id (as keys list shows it)" };
        var command = new Command("revoke", "Revoke a key: the next call that presents it is refused") { id };
        session.SetAction(command, async (parse, client, cancellationToken) =>
        {
            var keyId = parse.GetValue(id)!;
            await client.Access.RevokeApiKeyAsync(new RevokeApiKeyRequest { KeyId = keyId }, cancellationToken: cancellationToken);
            session.Console.MarkupLineInterpolated($"revoked key {keyId}");
            return 0;
        });
        return command;
    }

    private static string Roles(ApiKey key) => string.Join(", ", key.Roles).ToLowerInvariant();
}
