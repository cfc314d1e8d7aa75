using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Wirehub.WebSockets;

namespace Wirehub.Interop.Tests.Hosts;

/// <summary>
/// A Kestrel host on a free loopback port whose <c>MapWebSocket</c> handler echoes messages, runs the same "!" text
/// commands as the peer servers (!close code reason, !ping payload, !drop, !fragments a|b|c, !extensions) and records
/// what it saw of each connection by request path.
/// </summary>
internal sealed class ScenarioServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<HandledConnection>> _connections = new();

    private ScenarioServer(WebApplication app) => _app = app;

    public int Port { get; private set; }

    public static async Task<ScenarioServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new ScenarioServer(app);
        // Keep-alive off: the tests decide every ping that crosses the wire.
        app.MapWebSocket("/{**path}", server.HandleAsync, options => options.KeepAliveInterval = TimeSpan.Zero);
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Port = new Uri(address).Port;
        return server;
    }

    /// <summary>A URL on this server with a path no other test uses.</summary>
    public Uri UrlFor(string path) => new($"ws://127.0.0.1:{Port}{path}");

    /// <summary>The connection the handler accepted at <paramref name="path"/>.</summary>
    public async Task<HandledConnection> ConnectionAsync(string path) =>
        await Slot(path).Task.WaitAsync(InteropTimeouts.Event).ConfigureAwait(false);

    private TaskCompletionSource<HandledConnection> Slot(string path) =>
        _connections.GetOrAdd(path, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));

    private async Task HandleAsync(WebSocketConnection connection, HttpContext context)
    {
        var handled = new HandledConnection(context.Request.Path.Value ?? "/", connection.Extensions);
        Slot(handled.Path).TrySetResult(handled);
        try
        {
            while (true)
            {
                var message = await connection.ReceiveAsync().ConfigureAwait(false);
                if (message.IsClose) break;
                if (message.Type == MessageType.Text && message.Data.Length > 0 && message.Data.FirstSpan[0] == (byte)'!')
                {
                    if (!await RunCommandAsync(connection, message.GetString()).ConfigureAwait(false)) break;
                    continue;
                }
                await connection.SendAsync(message.Data, message.Type).ConfigureAwait(false);
            }
        }
        finally
        {
            handled.Complete(new ServerClose(connection.CloseStatus, connection.CloseReason));
        }
    }

    /// <returns>False when the connection is over.</returns>
    private static async Task<bool> RunCommandAsync(WebSocketConnection connection, string command)
    {
        int space = command.IndexOf(' ');
        string name = space < 0 ? command : command[..space];
        string argument = space < 0 ? "" : command[(space + 1)..];
        switch (name)
        {
            case "!close":
                int separator = argument.IndexOf(' ');
                ushort code = ushort.Parse(separator < 0 ? argument : argument[..separator]);
                await connection.CloseAsync(code, separator < 0 ? null : argument[(separator + 1)..]).ConfigureAwait(false);
                return false;
            case "!drop":
                connection.Abort();
                return false;
            case "!ping":
                await connection.PingAsync(Encoding.UTF8.GetBytes(argument)).ConfigureAwait(false);
                return true;
            case "!fragments":
                string[] parts = argument.Split('|');
                for (int i = 0; i < parts.Length; i++)
                    await connection.SendAsync(Encoding.UTF8.GetBytes(parts[i]), MessageType.Text, endOfMessage: i == parts.Length - 1).ConfigureAwait(false);
                return true;
            case "!extensions":
                await connection.SendTextAsync(connection.Extensions ?? "").ConfigureAwait(false);
                return true;
            default:
                await connection.SendTextAsync(command).ConfigureAwait(false);
                return true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
