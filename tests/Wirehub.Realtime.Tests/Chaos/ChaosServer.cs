using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Wirehub.Realtime.Server;

namespace Wirehub.Realtime.Tests.Chaos;

/// <summary>
/// The realtime server (<c>AddWirehub</c> + <c>MapWirehub("/connection")</c>) on Kestrel, whose transport connections
/// can be dropped from the server's side.
/// </summary>
internal sealed class ChaosServer : IAsyncDisposable
{
    private const int ServerSendBuffer = 16 * 1024;
    private readonly WebApplication _app;

    private ChaosServer(WebApplication app, ServerConnections connections, int port)
    {
        _app = app;
        Connections = connections;
        Port = port;
    }

    public int Port { get; }

    public ServerConnections Connections { get; }

    public static async Task<ChaosServer> StartAsync(Action<RealtimeOptions> configure)
    {
        var connections = new ServerConnections();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseSockets(sockets => sockets.CreateBoundListenSocket = endpoint =>
        {
            var listener = SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
            // Accepted sockets inherit a fixed send buffer instead of one the kernel grows to megabytes on loopback, so a
            // client that stops reading fills the server's send queue after kilobytes.
            listener.SendBufferSize = ServerSendBuffer;
            return listener;
        });
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Use(connections.Track)));
        builder.Services.AddWirehub(configure);
        var app = builder.Build();
        app.MapWirehub("/connection");
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new ChaosServer(app, connections, new Uri(address).Port);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
