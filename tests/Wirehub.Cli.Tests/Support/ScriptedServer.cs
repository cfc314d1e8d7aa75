using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Wirehub.WebSockets;

namespace Wirehub.Cli.Tests.Support;

/// <summary>
/// A WebSocket server in the test process, for what wirehub serve cannot show: the headers a client sent, a close
/// with a chosen code, the close frame the client sent.
/// </summary>
internal sealed class ScriptedServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ScriptedServer(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>ws://127.0.0.1:PORT/ (any path).</summary>
    public string Url { get; }

    public static async Task<ScriptedServer> StartAsync(Func<WebSocketConnection, HttpContext, Task> handler,
        Action<WebSocketServerOptions>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapWebSocket("/", handler, configure);
        await app.StartAsync();
        var address = new Uri(app.Urls.First());
        return new ScriptedServer(app, $"ws://127.0.0.1:{address.Port}/");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
