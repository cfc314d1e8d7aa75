using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Wirehub.Cli.Operations;
using Wirehub.Realtime.Broker;
using Wirehub.Realtime.Server;
using Wirehub.WebSockets;

namespace Wirehub.Operations.Tests.Support;

/// <summary>
/// A server wired as <c>wirehub serve</c> wires its operations (logs, metrics, health, drain), in this process, with a
/// broker the test controls.
/// </summary>
internal sealed class OperationsHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OperationsHost(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public UnreachableBroker Broker => (UnreachableBroker)_app.Services.GetRequiredService<IBroker>();

    public WebSocketDrain Drain => _app.Services.GetRequiredService<WebSocketDrain>();

    public Uri HttpUri(string path) => new($"http://127.0.0.1:{Port}{path}");

    public static async Task<OperationsHost> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.AddWirehubOperations(LogFormat.Simple);
        builder.Logging.ClearProviders();
        builder.Services.AddWebSocketDrain(options => options.Window = TimeSpan.FromSeconds(1));
        builder.Services.AddSingleton<IBroker, UnreachableBroker>();
        builder.Services.AddWirehub();
        var app = builder.Build();
        app.MapWirehub("/connection");
        app.MapWirehubOperations();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new OperationsHost(app, new Uri(address).Port);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
