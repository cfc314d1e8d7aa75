using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Wirehub.Realtime.Server;

namespace Wirehub.Realtime.Tests.Client.Support;

/// <summary>The real Wirehub server (<c>MapWirehub("/connection")</c>) on Kestrel, on a free loopback port.</summary>
internal sealed class WirehubHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WirehubHost(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public Uri Url => new($"ws://127.0.0.1:{Port}/connection");

    /// <summary>Starts a server; on <paramref name="port"/> when given (to restart one in place), else on a free port.</summary>
    public static async Task<WirehubHost> StartAsync(Action<RealtimeOptions>? configure = null, int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        builder.Services.AddWirehub(options => configure?.Invoke(options));
        var app = builder.Build();
        app.MapWirehub("/connection");
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new WirehubHost(app, new Uri(address).Port);
    }

    /// <summary>Stops at once, aborting open connections, as a crashed server would; the streams go with it.</summary>
    public async Task CrashAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
