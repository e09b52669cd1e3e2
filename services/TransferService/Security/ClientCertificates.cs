using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace TransferService.Security;

/// <summary>Mutual TLS: HTTPS endpoints require a client certificate that chains to the configured authorities (a PEM bundle)
/// (and only to it, not to the machine's trust store; revocation is not checked, as the service reaches no network).</summary>
internal static class ClientCertificates
{
    public static void Require(HttpsConnectionAdapterOptions https, string authorityPemFile)
    {
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(authorityPemFile);
        https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
        https.ClientCertificateValidation = (certificate, _, _) =>
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(certificate);
        };
    }
}
