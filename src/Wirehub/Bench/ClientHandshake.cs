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
                if (received == buffer.Length)
                {
                    throw new InvalidDataException(
                        $"The server's handshake response is longer than {buffer.Length} bytes without ending; "
                        + "check that the URL points at a WebSocket endpoint.");
                }

                int read = await socket.ReceiveAsync(buffer[received..], SocketFlags.None, cancellation);
                if (read == 0)
                {
                    throw new InvalidDataException(
                        "The server closed the connection during the opening handshake; check its log and its connection limits.");
                }

                received += read;
                int headLength = request.CheckResponse(buffer.Span[..received]);
                if (headLength > 0)
                {
                    buffer[headLength..received].CopyTo(buffer);
                    return (socket, received - headLength);
                }
            }
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
