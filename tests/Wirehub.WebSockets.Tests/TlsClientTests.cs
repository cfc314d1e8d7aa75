using System.Collections.Concurrent;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Wirehub.Protocol;
using Wirehub.WebSockets.Tests.Support;

namespace Wirehub.WebSockets.Tests;

/// <summary>wss:// against Kestrel serving a self-signed certificate made by the test.</summary>
public sealed class TlsClientTests : IDisposable
{
    private readonly X509Certificate2 _certificate = SelfSignedCertificate.CreateForLocalhost();
    private readonly ConcurrentQueue<string?> _serverNames = new();

    private Task<KestrelHost> StartTlsEcho() => KestrelHost.StartAsync(
        app => app.MapWebSocket("/ws", async (connection, context) =>
        {
            await connection.SendTextAsync(context.Request.IsHttps ? "over https" : "over plain http");
            await EchoHandler.RunAsync(connection);
        }),
        listen: options => options.UseHttps(new HttpsConnectionAdapterOptions
        {
            ServerCertificateSelector = (_, name) =>
            {
                _serverNames.Enqueue(name);
                return _certificate;
            },
        }));

    private WebSocketClientOptions TrustingOurCertificate() => new()
    {
        RemoteCertificateValidationCallback = (_, presented, _, _) => presented is not null && presented.GetCertHashString() == _certificate.GetCertHashString(),
    };

    [Fact]
    public async Task Self_signed_certificate_is_refused_by_default_validation()
    {
        await using var host = await StartTlsEcho();
        await using var client = new WebSocketClient(host.WebSocketUri(scheme: "wss", host: "localhost"));

        var error = await Assert.ThrowsAsync<WebSocketHandshakeException>(() => client.ConnectAsync());

        Assert.IsType<AuthenticationException>(error.InnerException);
        Assert.Equal(WebSocketState.Closed, client.ReadyState);
    }

    [Fact]
    public async Task Certificate_accepted_by_the_validation_callback_carries_messages_over_tls()
    {
        await using var host = await StartTlsEcho();
        await using var client = new WebSocketClient(host.WebSocketUri(scheme: "wss", host: "localhost"), TrustingOurCertificate());

        await client.ConnectAsync();
        var greeting = (await client.ReceiveAsync()).GetString();
        await client.SendAsync("secret");
        var echo = (await client.ReceiveAsync()).GetString();
        await client.CloseAsync();

        Assert.Equal("over https", greeting);
        Assert.Equal("secret", echo);
        Assert.Equal(CloseStatus.NormalClosure, client.CloseStatus);
    }

    [Fact]
    public async Task Server_sees_the_host_name_as_SNI()
    {
        await using var host = await StartTlsEcho();
        await using var client = new WebSocketClient(host.WebSocketUri(scheme: "wss", host: "localhost"), TrustingOurCertificate());

        await client.ConnectAsync();

        Assert.Contains("localhost", _serverNames);
    }

    public void Dispose() => _certificate.Dispose();
}
