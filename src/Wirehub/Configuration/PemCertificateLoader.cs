using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Wirehub.Cli.Configuration;

/// <summary>
/// Loads the TLS certificate of <c>wirehub serve --cert FILE --key FILE</c> from PEM files, telling apart a missing
/// file, an unreadable one, a file without the expected PEM block, an encrypted key and a key that belongs to another
/// certificate.
/// </summary>
internal static class PemCertificateLoader
{
    /// <summary>
    /// The certificate with its private key and the rest of the file's certificates (the chain of a fullchain.pem), or
    /// null with the reason added to <paramref name="errors"/>.
    /// </summary>
    public static ServerCertificate? Load(string certificateFile, string keyFile, List<string> errors)
    {
        var cert = ServeSettingCatalog.TlsCertificate;
        var key = ServeSettingCatalog.TlsKey;
        if (ReadText(cert, certificateFile, errors) is not { } certificateText) return null;
        if (ReadText(key, keyFile, errors) is not { } keyText) return null;

        X509Certificate2 publicOnly;
        try
        {
            publicOnly = X509Certificate2.CreateFromPem(certificateText);
        }
        catch (CryptographicException ex)
        {
            errors.Add($"{cert.Flag} {certificateFile} holds no readable PEM certificate (a -----BEGIN CERTIFICATE----- block): {ex.Message}");
            return null;
        }

        using (publicOnly)
        {
            if (keyText.Contains("-----BEGIN ENCRYPTED PRIVATE KEY-----", StringComparison.Ordinal))
            {
                errors.Add($"{key.Flag} {keyFile} is encrypted; give an unencrypted key (e.g. openssl pkey -in {keyFile} -out plain.key).");
                return null;
            }
            if (!CanImportKey(publicOnly, keyText))
            {
                errors.Add($"{key.Flag} {keyFile} holds no readable PEM private key of the certificate's kind ({publicOnly.PublicKey.Oid.FriendlyName}); expected a -----BEGIN PRIVATE KEY----- (or RSA / EC PRIVATE KEY) block.");
                return null;
            }
            try
            {
                using var withKey = X509Certificate2.CreateFromPem(certificateText, keyText);
                // CreateFromPem gives an ephemeral key, which SslStream cannot use on Windows; a PKCS#12 round trip
                // gives a key every platform's TLS stack accepts.
                var certificate = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), password: null);
                // Clients that lack the intermediates can only validate the leaf if the server sends them.
                var chain = new X509Certificate2Collection();
                chain.ImportFromPem(certificateText);
                chain.RemoveAt(0);
                return new ServerCertificate(certificate, chain);
            }
            catch (Exception ex) when (ex is CryptographicException or ArgumentException)
            {
                errors.Add($"{key.Flag} {keyFile} does not match the certificate in {cert.Flag} {certificateFile}: give the private key the certificate was issued for.");
                return null;
            }
        }
    }

    private static string? ReadText(ServeSetting setting, string path, List<string> errors)
    {
        if (!File.Exists(path))
        {
            errors.Add($"{setting.Flag}: the file {Path.GetFullPath(path)} does not exist ({setting.Title}).");
            return null;
        }
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{setting.Flag}: the file {Path.GetFullPath(path)} cannot be read: {ex.Message}");
            return null;
        }
    }

    private static bool CanImportKey(X509Certificate2 certificate, string keyText)
    {
        AsymmetricAlgorithm algorithm = certificate.GetRSAPublicKey() is { } rsa ? Dispose(rsa, RSA.Create())
            : certificate.GetECDsaPublicKey() is { } ecdsa ? Dispose(ecdsa, ECDsa.Create())
            : RSA.Create();
        using (algorithm)
        {
            try
            {
                algorithm.ImportFromPem(keyText);
                return true;
            }
            catch (Exception ex) when (ex is CryptographicException or ArgumentException)
            {
                return false;
            }
        }
    }

    private static AsymmetricAlgorithm Dispose(AsymmetricAlgorithm publicKey, AsymmetricAlgorithm fresh)
    {
        publicKey.Dispose();
        return fresh;
    }
}
