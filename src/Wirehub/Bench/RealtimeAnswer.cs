using System.Net.Sockets;

namespace Wirehub.Cli.Bench;

/// <summary>Waits, with blocking reads before a measurement starts, for a <c>wirehub.v1</c> answer of a given type.</summary>
internal static class RealtimeAnswer
{
    /// <summary>
    /// Reads frames into <paramref name="buffer"/> (whose first <paramref name="available"/> bytes are already frames)
    /// until one whose JSON starts with <c>{"type":"<paramref name="type"/>"</c>.
    /// </summary>
    /// <returns>How many bytes after that frame are at the start of <paramref name="buffer"/>: frames that followed it.</returns>
    /// <exception cref="BenchFailure">The server answered with an error or closed the connection.</exception>
    public static int Await(Socket socket, byte[] buffer, int available, string type)
    {
        byte[] expected = System.Text.Encoding.ASCII.GetBytes($"{{\"type\":\"{type}\"");
        ReceivedMessageScanner scanner = new(64);
        while (true)
        {
            ReadOnlySpan<byte> data = buffer.AsSpan(0, available);
            while (scanner.TryRead(ref data, out _, out _, out ReadOnlySpan<byte> prefix))
            {
                if (prefix.StartsWith(expected))
                {
                    data.CopyTo(buffer);
                    return data.Length;
                }

                if (prefix.StartsWith("{\"type\":\"error\""u8))
                {
                    throw new BenchFailure(BenchErrorKind.Protocol,
                        $"The server refused a request while waiting for \"{type}\": {System.Text.Encoding.UTF8.GetString(prefix)}");
                }
            }

            data.CopyTo(buffer);
            int read = socket.Receive(buffer.AsSpan(data.Length));
            if (read == 0)
            {
                throw new BenchFailure(BenchErrorKind.Closed, $"The server closed the connection before answering \"{type}\".");
            }

            available = data.Length + read;
        }
    }
}
