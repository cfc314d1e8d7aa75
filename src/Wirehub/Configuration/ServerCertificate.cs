using System.Security.Cryptography.X509Certificates;

namespace Wirehub.Cli.Configuration;

/// <summary>The TLS identity of <c>wirehub serve</c>: its certificate with the private key, and the intermediate certificates sent with it.</summary>
internal sealed record ServerCertificate(X509Certificate2 Certificate, X509Certificate2Collection Chain);
