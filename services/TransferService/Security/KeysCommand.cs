using TransferService.Core.Errors;
using TransferService.Core.Security;
using TransferService.Hosting;

namespace TransferService.Security;

/// <summary>The admin command line for API keys, working on the same data folder as the service (it may run
/// at the same time: the service picks changes up on the next call).
/// <code>TransferService keys create --tenant acme --role user [--role admin] [--description "ci"]
/// TransferService keys list
/// TransferService keys revoke &lt;id&gt;</code>
/// <c>--data-folder</c> overrides Service:DataFolder (configuration: appsettings.json, then Service__DataFolder).</summary>
internal static class KeysCommand
{
    public static bool Matches(string[] args) => args.Length > 0 && args[0] == "keys";

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        try
        {
            var options = Parse(args.Skip(1).ToArray(), out var verb, out var positional);
            var store = new ApiKeyStore(Path.Combine(DataFolder(options), "keys"), TimeProvider.System);
            switch (verb)
            {
                case "create":
                    var roles = options.GetValueOrDefault("role", ["user"]).Select(ParseRole).ToArray();
                    var (key, secret) = store.Create(Single(options, "tenant") ?? "", roles, Single(options, "description") ?? "");
                    output.WriteLine($"created key {key.Id} for tenant {key.Tenant} ({string.Join(", ", key.Roles).ToLowerInvariant()})");
                    output.WriteLine("present it as 'authorization: Bearer <key>'; it is shown only now:");
                    output.WriteLine(secret);
                    return 0;
                case "list":
                    foreach (var k in store.List())
                        output.WriteLine($"{k.Id}  {k.Tenant,-20} {string.Join(",", k.Roles).ToLowerInvariant(),-12} {k.Created:u}  {k.Description}");
                    return 0;
                case "revoke" when positional.Count == 1:
                    store.Revoke(positional[0]);
                    output.WriteLine($"revoked key {positional[0]}");
                    return 0;
                default:
                    error.WriteLine("usage: keys create --tenant <name> [--role user|admin]... [--description <text>] | keys list | keys revoke <id>  [--data-folder <path>]");
                    return 2;
            }
        }
        catch (TransferException e)
        {
            error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }

    private static Dictionary<string, List<string>> Parse(string[] args, out string verb, out List<string> positional)
    {
        verb = args.Length > 0 ? args[0] : "";
        positional = [];
        var options = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (var i = 1; i < args.Length; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
            {
                var name = args[i][2..];
                if (!options.TryGetValue(name, out var values)) options[name] = values = [];
                values.Add(args[++i]);
            }
            else positional.Add(args[i]);
        }
        return options;
    }

    private static string? Single(Dictionary<string, List<string>> options, string name) =>
        options.TryGetValue(name, out var values) ? values[^1] : null;

    private static Role ParseRole(string role) => role switch
    {
        "user" => Role.User,
        "admin" => Role.Admin,
        _ => throw TransferException.Invalid("role", $"role '{role}' must be user or admin"),
    };

    private static string DataFolder(Dictionary<string, List<string>> options)
    {
        if (Single(options, "data-folder") is { } folder) return folder;
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .Build();
        return configuration.GetSection(ServiceOptions.Section).Get<ServiceOptions>()?.DataFolder ?? new ServiceOptions().DataFolder;
    }
}
