namespace TransferService.Security;

public sealed record SecurityOptions
{
    public const string Section = "Security";

    /// <summary>Refuse every call without a valid API key, even while no key exists yet (containers set this).
    /// When false, keys are required as soon as one exists; with none, every caller is the default tenant's admin.</summary>
    public bool RequireApiKeys { get; init; }

    /// <summary>Serve gRPC server reflection (grpcurl's `list`); off in the container image.</summary>
    public bool EnableReflection { get; init; } = true;

    /// <summary>PEM file of the certificate authority for mutual TLS: when set, every HTTPS endpoint requires a client
    /// certificate issued by it. The endpoints themselves are Kestrel's standard <c>Kestrel:Endpoints</c> configuration.</summary>
    public string ClientCertificateAuthority { get; init; } = "";
}
