using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Wirehub.Realtime.Server;

namespace Wirehub.Realtime.Tests.Server.Support;

/// <summary>The realtime server on a real Kestrel, on a free loopback port.</summary>
internal sealed class RealtimeServer : IAsyncDisposable
{
    public const string ApiKey = "test-key";
    private readonly WebApplication _app;

    private RealtimeServer(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }
    public Uri ConnectionUri => new($"ws://127.0.0.1:{Port}/connection");
    public Uri HttpUri(string path) => new($"http://127.0.0.1:{Port}{path}");
    public IServiceProvider Services => _app.Services;

    public static async Task<RealtimeServer> StartAsync(Action<RealtimeOptions>? configure = null, Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        services?.Invoke(builder.Services);
        builder.Services.AddWirehub(options =>
        {
            options.ApiKey = ApiKey;
            configure?.Invoke(options);
        });
        var app = builder.Build();
        app.MapWirehub("/connection");
        app.MapWirehubPublish("/api/publish");
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new RealtimeServer(app, new Uri(address).Port);
    }

    public async Task<WireClient> OpenAsync() => await WireClient.OpenAsync(ConnectionUri);

    /// <summary>Opens a connection and sends connect; returns the client and the <c>connected</c> reply.</summary>
    public async Task<(WireClient Client, System.Text.Json.JsonElement Connected)> ConnectAsync(string connect = "{\"type\":\"connect\",\"id\":1}")
    {
        var client = await OpenAsync();
        await client.SendAsync(connect);
        var connected = await client.ExpectAsync("connected");
        return (client, connected);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
