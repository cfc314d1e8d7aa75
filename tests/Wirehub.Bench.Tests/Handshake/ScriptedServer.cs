using System.Net;
using System.Net.Sockets;
using System.Text;
using Wirehub.Protocol;

namespace Wirehub.Bench.Tests.Handshake;

/// <summary>
/// A one-connection server that reads the upgrade request and answers with whatever bytes a test gives it, computed
/// from the request's key, then keeps the connection open until disposed.
/// </summary>
internal sealed class ScriptedServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Task _serving;
    private readonly CancellationTokenSource _stop = new();

    public ScriptedServer(Func<string, byte[]> answer, bool closeAfterAnswer = false)
    {
        _listener.Start();
        _serving = ServeAsync(answer, closeAfterAnswer);
    }

    public Uri Url => new($"ws://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    /// <summary>The 101 response for a request with this key.</summary>
    public static byte[] Accept(string key) => Encoding.ASCII.GetBytes(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + $"Sec-WebSocket-Accept: {HandshakeKey.ComputeAccept(key)}\r\n\r\n");

    private async Task ServeAsync(Func<string, byte[]> answer, bool closeAfterAnswer)
    {
        using Socket socket = await _listener.AcceptSocketAsync(_stop.Token);
        byte[] buffer = new byte[4096];
        int received = 0;
        while (buffer.AsSpan(0, received).IndexOf("\r\n\r\n"u8) < 0)
        {
            received += await socket.ReceiveAsync(buffer.AsMemory(received), _stop.Token);
        }

        string request = Encoding.ASCII.GetString(buffer, 0, received);
        string key = request.Split("\r\n").Single(l => l.StartsWith("Sec-WebSocket-Key: ", StringComparison.Ordinal))[19..];
        await socket.SendAsync(answer(key), _stop.Token);
        if (closeAfterAnswer)
        {
            socket.Shutdown(SocketShutdown.Both);
            return;
        }

        try
        {
            await Task.Delay(Timeout.Infinite, _stop.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            _serving.Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
            // Cancelled while accepting or reading: the test is over either way.
        }
    }
}
