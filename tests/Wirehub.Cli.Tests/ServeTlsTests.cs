using System.Security.Cryptography;
using Wirehub.Cli.Tests.Support;
using Wirehub.WebSockets;

namespace Wirehub.Cli.Tests;

/// <summary><c>wirehub serve --cert FILE --key FILE</c>: https:// and wss:// from PEM files, and each way the files can be wrong.</summary>
public sealed class ServeTlsTests
{
    [Fact]
    public async Task Serve_with_a_pem_certificate_answers_wss_with_that_certificate()
    {
        using var directory = new TemporaryDirectory();
        using var certificate = SelfSignedCertificate.Create();
        var (certFile, keyFile) = certificate.WriteTo(directory);
        await using var server = await ServeProcess.StartLocalAsync("--cert", certFile, "--key", keyFile);
        byte[]? presented = null;
        var options = new WebSocketClientOptions
        {
            RemoteCertificateValidationCallback = (_, cert, _, _) =>
            {
                presented = cert?.GetRawCertData();
                return presented is not null && presented.AsSpan().SequenceEqual(certificate.Certificate.RawData);
            },
        };
        await using var client = new WebSocketClient(new Uri(server.WebSocketUrl("/echo")), options);
        using var timeout = new CancellationTokenSource(CliTimeouts.Output);

        await client.ConnectAsync(timeout.Token);
        await client.SendAsync("over tls", timeout.Token);
        var echoed = await client.ReceiveAsync(timeout.Token);

        Assert.StartsWith("https://127.0.0.1:", server.HttpUrl);
        Assert.Equal("over tls", echoed.GetString());
        Assert.Equal(certificate.Certificate.RawData, presented);
        await client.CloseAsync(cancellationToken: timeout.Token);
    }

    [Fact]
    public async Task Intermediates_in_the_certificate_file_are_sent_so_clients_trusting_the_root_validate()
    {
        using var directory = new TemporaryDirectory();
        using var issued = new IssuedCertificate();
        var (fullChain, keyFile) = issued.WriteTo(directory);
        await using var server = await ServeProcess.StartLocalAsync("--cert", fullChain, "--key", keyFile);
        bool? validated = null;
        var options = new WebSocketClientOptions
        {
            RemoteCertificateValidationCallback = (_, cert, chain, _) => (validated = cert is not null && chain is not null && issued.ValidatesFromRoot(cert, chain)).Value,
        };
        await using var client = new WebSocketClient(new Uri(server.WebSocketUrl("/echo")), options);
        using var timeout = new CancellationTokenSource(CliTimeouts.Output);

        await client.ConnectAsync(timeout.Token);

        Assert.True(validated);
        await client.CloseAsync(cancellationToken: timeout.Token);
    }

    [Fact]
    public async Task Connect_insecure_talks_to_a_self_signed_server()
    {
        using var directory = new TemporaryDirectory();
        using var certificate = SelfSignedCertificate.Create();
        var (certFile, keyFile) = certificate.WriteTo(directory);
        await using var server = await ServeProcess.StartLocalAsync("--cert", certFile, "--key", keyFile);

        var run = await WirehubProcess.RunAsync(["connect", "--insecure", server.WebSocketUrl("/echo")], input: ["secure hello"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("secure hello", run.Stdout);
    }

    [Fact]
    public async Task Publish_insecure_reaches_a_self_signed_server()
    {
        using var directory = new TemporaryDirectory();
        using var certificate = SelfSignedCertificate.Create();
        var (certFile, keyFile) = certificate.WriteTo(directory);
        await using var server = await ServeProcess.StartLocalAsync("--cert", certFile, "--key", keyFile);

        var insecure = await WirehubProcess.RunAsync(["publish", "room:lobby", "1", "--insecure", "--url", server.HttpUrl, "--api-key", ServeProcess.TestApiKey]);
        var validating = await WirehubProcess.RunAsync(["publish", "room:lobby", "2", "--url", server.HttpUrl, "--api-key", ServeProcess.TestApiKey]);

        Assert.True(insecure.ExitCode == 0, insecure.ToString());
        Assert.Equal("1", insecure.Stdout);
        Assert.True(validating.ExitCode == 1, validating.ToString());
        Assert.Contains("could not reach", validating.Stderr);
    }

    [Fact]
    public async Task Connect_refuses_a_self_signed_server_without_insecure()
    {
        using var directory = new TemporaryDirectory();
        using var certificate = SelfSignedCertificate.Create();
        var (certFile, keyFile) = certificate.WriteTo(directory);
        await using var server = await ServeProcess.StartLocalAsync("--cert", certFile, "--key", keyFile);

        var run = await WirehubProcess.RunAsync(["connect", server.WebSocketUrl("/echo")], input: ["never sent"]);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("Could not connect", run.Stderr);
    }

    [Fact]
    public async Task Tls_files_come_from_the_environment()
    {
        using var directory = new TemporaryDirectory();
        using var certificate = SelfSignedCertificate.Create();
        var (certFile, keyFile) = certificate.WriteTo(directory);

        await using var server = await ServeProcess.StartAsync(["--host", "127.0.0.1", "--port", "0"],
            new Dictionary<string, string> { ["WIREHUB_TLS__CERTIFICATE"] = certFile, ["WIREHUB_TLS__KEY"] = keyFile });

        Assert.StartsWith("https://", server.HttpUrl);
    }

    [Fact]
    public async Task Missing_certificate_file_is_refused()
    {
        using var directory = new TemporaryDirectory();
        using var certificate = SelfSignedCertificate.Create();
        var (_, keyFile) = certificate.WriteTo(directory);
        string missing = Path.Combine(directory.Path, "missing.pem");

        var run = await WirehubProcess.RunAsync(["serve", "--cert", missing, "--key", keyFile]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"--cert: the file {missing} does not exist", run.Stderr);
    }

    [Fact]
    public async Task Missing_key_file_is_refused()
    {
        using var directory = new TemporaryDirectory();
        using var certificate = SelfSignedCertificate.Create();
        var (certFile, _) = certificate.WriteTo(directory);
        string missing = Path.Combine(directory.Path, "missing.key");

        var run = await WirehubProcess.RunAsync(["serve", "--cert", certFile, "--key", missing]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"--key: the file {missing} does not exist", run.Stderr);
    }

    [Fact]
    public async Task Unreadable_certificate_path_is_refused()
    {
        using var directory = new TemporaryDirectory();
        using var certificate = SelfSignedCertificate.Create();
        var (_, keyFile) = certificate.WriteTo(directory);
        // A directory where a file should be: it exists, but cannot be read as one.
        string folder = Directory.CreateDirectory(Path.Combine(directory.Path, "cert.d")).FullName;

        var run = await WirehubProcess.RunAsync(["serve", "--cert", folder, "--key", keyFile]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"--cert: the file {folder}", run.Stderr);
    }

    [Fact]
    public async Task Certificate_file_without_a_certificate_is_refused()
    {
        using var directory = new TemporaryDirectory();
        using var certificate = SelfSignedCertificate.Create();
        var (_, keyFile) = certificate.WriteTo(directory);
        string notPem = directory.Write("notes.txt", "this is not a certificate");

        var run = await WirehubProcess.RunAsync(["serve", "--cert", notPem, "--key", keyFile]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"--cert {notPem} holds no readable PEM certificate", run.Stderr);
    }

    [Fact]
    public async Task Key_file_without_a_key_is_refused()
    {
        using var directory = new TemporaryDirectory();
        using var certificate = SelfSignedCertificate.Create();
        var (certFile, _) = certificate.WriteTo(directory);

        // The certificate itself is not a private key.
        var run = await WirehubProcess.RunAsync(["serve", "--cert", certFile, "--key", certFile]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"--key {certFile} holds no readable PEM private key", run.Stderr);
    }

    [Fact]
    public async Task Key_of_another_certificate_is_refused()
    {
        using var directory = new TemporaryDirectory();
        using var certificate = SelfSignedCertificate.Create();
        var (certFile, _) = certificate.WriteTo(directory);
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string otherKeyFile = directory.Write("other.key", otherKey.ExportPkcs8PrivateKeyPem());

        var run = await WirehubProcess.RunAsync(["serve", "--cert", certFile, "--key", otherKeyFile]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"--key {otherKeyFile} does not match the certificate in --cert {certFile}", run.Stderr);
    }

    [Fact]
    public async Task Encrypted_key_is_refused_with_how_to_decrypt_it()
    {
        using var directory = new TemporaryDirectory();
        using var certificate = SelfSignedCertificate.Create();
        var (certFile, _) = certificate.WriteTo(directory);
        string encrypted = directory.Write("encrypted.key", certificate.Key.ExportEncryptedPkcs8PrivateKeyPem("secret",
            new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1000)));

        var run = await WirehubProcess.RunAsync(["serve", "--cert", certFile, "--key", encrypted]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"--key {encrypted} is encrypted", run.Stderr);
        Assert.Contains("openssl pkey", run.Stderr);
    }
}
