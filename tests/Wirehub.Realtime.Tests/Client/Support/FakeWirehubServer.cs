using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Wirehub.WebSockets;

namespace Wirehub.Realtime.Tests.Client.Support;

/// <summary>
/// A scripted wirehub.v1 server: Kestrel with the engine's MapWebSocket at /connection, handing every accepted
/// connection to the test, which speaks the documented JSON by hand.
/// </summary>
internal sealed class FakeWirehubServer : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly WebApplication _app;
    private readonly Channel<FakeServerConnection> _accepted;

    private FakeWirehubServer(WebApplication app, Channel<FakeServerConnection> accepted, int port)
    {
        _app = app;
        _accepted = accepted;
        Url = new Uri($"ws://127.0.0.1:{port}/connection");
    }

    public Uri Url { get; }

    public static async Task<FakeWirehubServer> StartAsync()
    {
        var accepted = Channel.CreateUnbounded<FakeServerConnection>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapWebSocket("/connection", async connection =>
        {
            var fake = new FakeServerConnection(connection);
            accepted.Writer.TryWrite(fake);
            await fake.Finished;
        }, options => options.Subprotocols.Add("wirehub.v1"));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new FakeWirehubServer(app, accepted, new Uri(address).Port);
    }

    /// <summary>The next connection the client opens.</summary>
    public async Task<FakeServerConnection> AcceptAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        return await _accepted.Reader.ReadAsync(timeout.Token);
    }

    /// <summary>Accepts the next connection and answers its connect; returns the connection and the connect frame.</summary>
    public async Task<(FakeServerConnection Connection, System.Text.Json.JsonElement Connect)> AcceptSessionAsync(
        string connectionId = "k-1", string recoveryKey = "rk1", bool recovered = false, int pingInterval = 25000,
        string subscriptions = "[]")
    {
        var connection = await AcceptAsync();
        var connect = await connection.AnswerConnectAsync(connectionId, recoveryKey, recovered, pingInterval, subscriptions);
        return (connection, connect);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
