using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Wirehub.Cli.Tests.Support;

/// <summary>A self-signed certificate for 127.0.0.1 and localhost, made in the test and written as PEM files.</summary>
internal sealed class SelfSignedCertificate : IDisposable
{
    private SelfSignedCertificate(ECDsa key, X509Certificate2 certificate)
    {
        Key = key;
        Certificate = certificate;
    }

    public ECDsa Key { get; }

    public X509Certificate2 Certificate { get; }

    public static SelfSignedCertificate Create()
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=wirehub-cli-tests", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var now = DateTimeOffset.UtcNow;
        return new SelfSignedCertificate(key, request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1)));
    }

    public string CertificatePem => Certificate.ExportCertificatePem();

    public string KeyPem => Key.ExportPkcs8PrivateKeyPem();

    /// <summary>Writes cert.pem and key.pem into <paramref name="directory"/>; returns their paths.</summary>
    public (string CertificateFile, string KeyFile) WriteTo(TemporaryDirectory directory) =>
        (directory.Write("cert.pem", CertificatePem), directory.Write("key.pem", KeyPem));

    public void Dispose()
    {
        Certificate.Dispose();
        Key.Dispose();
    }
}
