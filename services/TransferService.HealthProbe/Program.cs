using TransferService.HealthProbe;

// Exit 0 when the service answers SERVING, 1 otherwise (what Docker's HEALTHCHECK reads), 2 for a bad command line.
ProbeTarget target;
try
{
    target = ProbeTarget.Parse(args, Environment.GetEnvironmentVariable("ASPNETCORE_URLS"));
}
catch (Exception e) when (e is ArgumentException or FormatException or UriFormatException)
{
    Console.Error.WriteLine($"{e.Message}\nusage: TransferService.HealthProbe [--address URL] [--service NAME] [--timeout SECONDS]");
    return 2;
}
return await HealthCheck.RunAsync(target, Console.Out, CancellationToken.None);
