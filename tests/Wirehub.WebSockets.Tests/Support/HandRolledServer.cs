using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Wirehub.WebSockets.Tests.Support;

/// <summary>
/// A TCP server that answers each connection with a script written by the test: for servers that misbehave in ways
/// Kestrel and the engine never would (a wrong subprotocol, masked frames, no answer at all).
/// </summary>
internal sealed class HandRolledServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    /// <param name="script">Runs per connection with its stream and the request head; the connection closes when it returns.</param>
    public HandRolledServer(Func<NetworkStream, string, CancellationToken, Task> script)
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync(script);
    }

    public int Port { get; }

    public Uri Uri => new($"ws://127.0.0.1:{Port}/ws");

    /// <summary>The Sec-WebSocket-Accept value for the key in <paramref name="requestHead"/> (RFC 6455 §4.2.2).</summary>
    public static string AcceptFor(string requestHead)
    {
        var key = requestHead.Split("\r\n").First(l => l.StartsWith("Sec-WebSocket-Key:", StringComparison.OrdinalIgnoreCase))[18..].Trim();
        return Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
    }

    /// <summary>A 101 response completing the handshake for <paramref name="requestHead"/>, with extra header lines.</summary>
    public static byte[] SwitchingProtocols(string requestHead, params string[] extraHeaders) => Encoding.ASCII.GetBytes(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        $"Sec-WebSocket-Accept: {AcceptFor(requestHead)}\r\n" + string.Concat(extraHeaders.Select(h => h + "\r\n")) + "\r\n");

    private async Task AcceptAsync(Func<NetworkStream, string, CancellationToken, Task> script)
    {
        var connections = new List<Task>();
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                connections.Add(Task.Run(async () =>
                {
                    using (client)
                    {
                        var stream = client.GetStream();
                        try
                        {
                            await script(stream, await ReadHeadAsync(stream, _stop.Token), _stop.Token);
                        }
                        catch (Exception ex) when (ex is OperationCanceledException or IOException)
                        {
                            // The test is over or the client went away.
                        }
                    }
                }));
            }
        }
        catch (OperationCanceledException)
        {
        }
        await Task.WhenAll(connections);
    }

    private static async Task<string> ReadHeadAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (!(head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
        {
            if (await stream.ReadAsync(one, cancellationToken) == 0) throw new IOException("The client closed before sending a whole request head.");
            head.Add(one[0]);
        }
        return Encoding.ASCII.GetString(head.ToArray());
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
