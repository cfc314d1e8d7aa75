using System.Net.Sockets;
using Wirehub.Protocol;

namespace Wirehub.Cli.Bench;

/// <summary>
/// One subscriber that stopped reading, and the bytes of it read but not yet scanned: the frames that came after its
/// <c>subscribed</c> answer, then at most a partial frame header between drains. Each keeps its own, so draining many
/// through one shared buffer never mixes one's partial header with another's bytes.
/// </summary>
internal sealed class StalledSubscriber : IDisposable
{
    private readonly Socket _socket;
    private readonly ReceivedMessageScanner _scanner = new(0);
    private byte[] _unscanned;

    /// <param name="socket">The subscriber's connection; from now on it is only drained, without blocking.</param>
    /// <param name="unscanned">Bytes already read from it after its <c>subscribed</c> answer.</param>
    public StalledSubscriber(Socket socket, byte[] unscanned)
    {
        _socket = socket;
        _socket.Blocking = false;
        _unscanned = unscanned;
    }

    /// <summary>
    /// Reads everything waiting (the kernel holds little) through <paramref name="buffer"/>, which must be larger than
    /// the bytes kept from before; true once the server's close frame, end of stream or reset shows.
    /// </summary>
    /// <exception cref="BenchFailure">The server broke RFC 6455 framing.</exception>
    public bool DrainShowsClose(byte[] buffer)
    {
        int available = _unscanned.Length;
        _unscanned.CopyTo(buffer, 0);
        while (true)
        {
            ReadOnlySpan<byte> data = buffer.AsSpan(0, available);
            while (_scanner.TryRead(ref data, out Opcode opcode, out _, out _))
            {
                if (opcode == Opcode.Close)
                {
                    _unscanned = [];
                    return true;
                }
            }

            data.CopyTo(buffer);
            available = data.Length;
            int read = _socket.Receive(buffer.AsSpan(available), SocketFlags.None, out SocketError error);
            if (error == SocketError.WouldBlock)
            {
                _unscanned = buffer.AsSpan(0, available).ToArray();
                return false;
            }

            if (error != SocketError.Success || read == 0)
            {
                return true;
            }

            available += read;
        }
    }

    public void Dispose() => _socket.Dispose();
}
