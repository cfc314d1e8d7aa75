using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Wirehub.Cli.Tests.Support;

/// <summary>
/// A server certificate for 127.0.0.1 issued through an intermediate by a root made in the test: the shape of a real
/// deployment, where clients trust the root and the server must send the intermediate.
/// </summary>
internal sealed class IssuedCertificate : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    public IssuedCertificate()
    {
        var now = DateTimeOffset.UtcNow;
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = new CertificateRequest("CN=wirehub-tests root", rootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        Root = Own(rootRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(2)));

        using var intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var intermediateRequest = new CertificateRequest("CN=wirehub-tests intermediate", intermediateKey, HashAlgorithmName.SHA256);
        intermediateRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        intermediateRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var intermediatePublic = intermediateRequest.Create(Root, now.AddMinutes(-4), now.AddDays(1).AddHours(12), [1]);
        Intermediate = Own(intermediatePublic.CopyWithPrivateKey(intermediateKey));

        LeafKey = Own(ECDsa.Create(ECCurve.NamedCurves.nistP256));
        var leafRequest = new CertificateRequest("CN=127.0.0.1", LeafKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        leafRequest.CertificateExtensions.Add(names.Build());
        leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        Leaf = Own(leafRequest.Create(Intermediate, now.AddMinutes(-3), now.AddDays(1), [2]));
    }

    public X509Certificate2 Root { get; }

    public X509Certificate2 Intermediate { get; }

    public X509Certificate2 Leaf { get; }

    public ECDsa LeafKey { get; }

    /// <summary>Writes fullchain.pem (the leaf, then the intermediate) and privkey.pem; returns their paths.</summary>
    public (string FullChainFile, string KeyFile) WriteTo(TemporaryDirectory directory) =>
        (directory.Write("fullchain.pem", Leaf.ExportCertificatePem() + "\n" + Intermediate.ExportCertificatePem()),
         directory.Write("privkey.pem", LeafKey.ExportPkcs8PrivateKeyPem()));

    /// <summary>
    /// Whether <paramref name="presented"/> validates for a client that trusts only <see cref="Root"/> and knows only
    /// the certificates the server sent (<paramref name="sent"/>): no system store, no downloads.
    /// </summary>
    public bool ValidatesFromRoot(X509Certificate presented, X509Chain sent)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.ExtraStore.AddRange(sent.ChainPolicy.ExtraStore);
        using var leaf = X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        return chain.Build(leaf);
    }

    private T Own<T>(T disposable) where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    public void Dispose()
    {
        foreach (var owned in _owned) owned.Dispose();
    }
}
