using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using TransferService.Contracts.V1;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Hostile;

/// <summary>TLS and mutual TLS through Kestrel's standard endpoint configuration: the server presents its
/// certificate, and with Security:ClientCertificateAuthority only clients holding a certificate from that CA get in.</summary>
public sealed class MutualTlsTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"transfer-tls-{Guid.NewGuid():N}");
    private readonly TestCertificates _pki = new("transfer-test-ca");
    private TestServer _server = null!;
    private string _address = "";

    public async Task InitializeAsync()
    {
        using var serverCertificate = _pki.Issue("localhost", server: true);
        var (certificate, key) = TestCertificates.WritePem(serverCertificate, Path.Combine(_folder, "tls"), "server");
        var authority = Path.Combine(_folder, "tls", "clients-ca.crt");
        await File.WriteAllTextAsync(authority, _pki.Authority.ExportCertificatePem());
        _server = await TestServer.StartAsync(Path.Combine(_folder, "data"), new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:Grpc:Url"] = "https://127.0.0.1:0",
            ["Kestrel:Endpoints:Grpc:Certificate:Path"] = certificate,
            ["Kestrel:Endpoints:Grpc:Certificate:KeyPath"] = key,
            ["Security:ClientCertificateAuthority"] = authority,
            ["Backbones:Preload"] = "",
            ["Lanes:Devices"] = "cpu",
        });
        _address = _server.App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
    }

    private GrpcChannel Channel(X509Certificate2? clientCertificate) => GrpcChannel.ForAddress(_address, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                // Trust the test CA for the server's certificate, as a client given the operator's CA bundle would.
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(_pki.Authority);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return certificate is not null && chain.Build(new X509Certificate2(certificate));
                },
                ClientCertificates = clientCertificate is null ? null : new X509CertificateCollection { clientCertificate },
            },
        },
    });

    [Fact]
    public async Task Https_ClientCertificateFromTheAuthority_Served()
    {
        Assert.StartsWith("https://", _address);
        using var client = _pki.Issue("client-a", server: false);
        using var channel = Channel(client);
        var reply = await new DatasetService.DatasetServiceClient(channel).ListDatasetsAsync(new ListDatasetsRequest());
        Assert.Empty(reply.Datasets);
    }

    [Fact]
    public async Task Https_NoClientCertificate_Refused()
    {
        using var channel = Channel(null);
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            new DatasetService.DatasetServiceClient(channel).ListDatasetsAsync(new ListDatasetsRequest()).ResponseAsync);
        // The server aborts the TLS 1.3 session after the handshake; the client reports the broken transport.
        Assert.Contains(error.StatusCode, TransportFailures);
    }

    [Fact]
    public async Task Https_ClientCertificateFromAnotherAuthority_Refused()
    {
        using var stranger = new TestCertificates("stranger-ca");
        using var client = stranger.Issue("client-b", server: false);
        using var channel = Channel(client);
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            new DatasetService.DatasetServiceClient(channel).ListDatasetsAsync(new ListDatasetsRequest()).ResponseAsync);
        Assert.Contains(error.StatusCode, TransportFailures);
    }

    private static readonly StatusCode[] TransportFailures = [StatusCode.Unavailable, StatusCode.Internal];

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _pki.Dispose();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
