using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Wirehub.Realtime.Server;
using Wirehub.Realtime.Server.Transports;
using Wirehub.Realtime.Tests.Server.Support;

namespace Wirehub.Realtime.Tests.Transports.Support;

/// <summary>The realtime server on a real Kestrel with its fallback transports at /connection/sse and /connection/poll.</summary>
internal sealed class FallbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FallbackServer(WebApplication app, int port)
    {
        _app = app;
        Port = port;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public int Port { get; }

    /// <summary>A client for plain requests; the transports' clients bring their own.</summary>
    public HttpClient Http { get; }

    public RealtimeHub Hub => _app.Services.GetRequiredService<RealtimeHub>();

    public IServiceProvider Services => _app.Services;

    /// <summary>The fallback sessions' table, found through the endpoints' metadata.</summary>
    public EmulatedSessions Sessions => _app.Services.GetRequiredService<EndpointDataSource>().Endpoints
        .Select(e => e.Metadata.GetMetadata<EmulatedSessions>()).First(s => s is not null)!;

    public IReadOnlyList<Endpoint> Endpoints => _app.Services.GetRequiredService<EndpointDataSource>().Endpoints;

    public static async Task<FallbackServer> StartAsync(Action<RealtimeOptions>? configure = null,
        Action<FallbackTransportOptions>? fallback = null, Action<IEndpointConventionBuilder>? conventions = null,
        Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        services?.Invoke(builder.Services);
        builder.Services.AddWirehub(options => configure?.Invoke(options));
        var app = builder.Build();
        // Polls answer within a couple of seconds in tests, so a client waiting for a frame never waits on one poll long.
        var fallbackOptions = new FallbackTransportOptions { PollTimeout = TimeSpan.FromSeconds(2) };
        fallback?.Invoke(fallbackOptions);
        var endpoints = app.MapWirehub("/connection", fallbackOptions);
        conventions?.Invoke(endpoints);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new FallbackServer(app, new Uri(address).Port);
    }

    public Uri WebSocketUri => new($"ws://127.0.0.1:{Port}/connection");

    public async Task<FrameClient> OpenAsync(TransportKind kind) => kind switch
    {
        TransportKind.WebSocket => new WebSocketFrameClient(await WireClient.OpenAsync(WebSocketUri)),
        TransportKind.Sse => await SseClient.OpenAsync(Port),
        _ => await PollClient.OpenAsync(Port),
    };

    /// <summary>Opens a session and sends connect; returns the client and the <c>connected</c> reply.</summary>
    public async Task<(FrameClient Client, System.Text.Json.JsonElement Connected)> ConnectAsync(TransportKind kind,
        string connect = "{\"type\":\"connect\",\"id\":1}")
    {
        var client = await OpenAsync(kind);
        var connected = await client.RequestAsync(connect, "connected");
        return (client, connected);
    }

    /// <summary>Waits (up to 10 s) until <paramref name="condition"/> holds; false if it never did.</summary>
    public static async Task<bool> EventuallyAsync(Func<bool> condition)
    {
        for (int i = 0; i < 500; i++)
        {
            if (condition()) return true;
            await Task.Delay(20);
        }
        return condition();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
