using System.Net.Sockets;

namespace Wirehub.Cli.Bench;

/// <summary>Opens a TCP connection and upgrades it to a WebSocket (RFC 6455 §4.1).</summary>
internal static class ClientHandshake
{
    /// <summary>Room for the 101 response head; servers answer with well under 1 KiB.</summary>
    public const int MinimumBufferSize = 2048;

    /// <summary>
    /// Connects, sends the upgrade request and waits for the 101 response, reading into <paramref name="buffer"/>
    /// (at least <see cref="MinimumBufferSize"/> bytes).
    /// </summary>
    /// <returns>
    /// The connected socket and how many bytes at the start of <paramref name="buffer"/> already belong to frames the
    /// server sent right after its response.
    /// </returns>
    public static async ValueTask<(Socket Socket, int FrameBytes)> OpenAsync(
        BenchTarget target, UpgradeRequest request, Memory<byte> buffer, CancellationToken cancellation)
    {
        Socket socket = new(target.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(target.EndPoint, cancellation);
            await socket.SendAsync(request.Bytes, SocketFlags.None, cancellation);
            int received = 0;
            while (true)
            {
                int read = await socket.ReceiveAsync(buffer[RoomAfter(received, buffer.Length)..], SocketFlags.None, cancellation);
                int frameBytes = TakeResponse(request, buffer.Span, ref received, read);
                if (frameBytes >= 0)
                {
                    return (socket, frameBytes);
                }
            }
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The blocking form of <see cref="OpenAsync"/>, for sockets that an event loop will serve: it leaves the socket
    /// unknown to the runtime's own socket engine, which would otherwise be woken by every later event as well.
    /// </summary>
    public static (Socket Socket, int FrameBytes) Open(BenchTarget target, UpgradeRequest request, byte[] buffer)
    {
        Socket socket = new(target.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Connect(target.EndPoint);
            socket.Send(request.Bytes, SocketFlags.None);
            int received = 0;
            while (true)
            {
                int read = socket.Receive(buffer.AsSpan(RoomAfter(received, buffer.Length)), SocketFlags.None);
                int frameBytes = TakeResponse(request, buffer, ref received, read);
                if (frameBytes >= 0)
                {
                    return (socket, frameBytes);
                }
            }
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static int RoomAfter(int received, int capacity) => received < capacity
        ? received
        : throw new BenchFailure(BenchErrorKind.Handshake,
            $"The server's handshake response is longer than {capacity} bytes without ending; "
            + "check that the URL points at a WebSocket endpoint.");

    // Adds what was read; once the head is complete, moves the bytes after it to the front and returns their count.
    private static int TakeResponse(UpgradeRequest request, Span<byte> buffer, ref int received, int read)
    {
        if (read == 0)
        {
            throw new BenchFailure(BenchErrorKind.Handshake,
                "The server closed the connection during the opening handshake; check its log and its connection limits.");
        }

        received += read;
        int headLength = request.CheckResponse(buffer[..received]);
        if (headLength == 0)
        {
            return -1;
        }

        buffer[headLength..received].CopyTo(buffer);
        return received - headLength;
    }
}
