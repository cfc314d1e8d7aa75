using System.IO.Pipelines;
using Wirehub.Protocol;

namespace Wirehub.WebSockets.Tests.Support;

/// <summary>A server-role and a client-role engine connected to each other by in-memory pipes.</summary>
internal sealed class EnginePair : IAsyncDisposable
{
    private EnginePair(WebSocketConnection server, WebSocketConnection client)
    {
        Server = server;
        Client = client;
    }

    public WebSocketConnection Server { get; }

    public WebSocketConnection Client { get; }

    public static EnginePair Create(PerMessageDeflateParameters? deflate = null, WebSocketOptions? serverOptions = null, WebSocketOptions? clientOptions = null)
    {
        var toServer = new Pipe(RawPeer.Unbounded);
        var toClient = new Pipe(RawPeer.Unbounded);
        var server = WebSocketConnection.Create(new Duplex(toServer.Reader, toClient.Writer), WebSocketRole.Server, serverOptions, null, deflate);
        var client = WebSocketConnection.Create(new Duplex(toClient.Reader, toServer.Writer), WebSocketRole.Client, clientOptions, null, deflate);
        return new EnginePair(server, client);
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Client.DisposeAsync();
    }

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
