using System.Net.Sockets;
using System.Text;

namespace Wirehub.Conformance.Tests.Wire;

/// <summary>
/// The start line and header fields of an HTTP/1.1 request or response (RFC 9112 §2), as far as the opening
/// handshake needs them. Header names compare case-insensitively; repeated fields are kept in order.
/// </summary>
internal sealed class HttpHead
{
    public const int MaxLength = 16 * 1024;

    private HttpHead(string startLine, List<KeyValuePair<string, string>> fields)
    {
        StartLine = startLine;
        Fields = fields;
    }

    public string StartLine { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Fields { get; }

    /// <summary>All values of a field joined with ", " (RFC 9110 §5.3), or null when absent.</summary>
    public string? this[string name]
    {
        get
        {
            string? joined = null;
            foreach (var (key, value) in Fields)
            {
                if (!key.Equals(name, StringComparison.OrdinalIgnoreCase)) continue;
                joined = joined is null ? value : joined + ", " + value;
            }
            return joined;
        }
    }

    /// <summary>True when a comma-separated field contains <paramref name="token"/> (case-insensitive).</summary>
    public bool HasToken(string name, string token) =>
        this[name]?.Split(',').Any(t => t.Trim().Equals(token, StringComparison.OrdinalIgnoreCase)) == true;

    public static HttpHead Parse(string text)
    {
        var lines = text.Split("\r\n");
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var line in lines.Skip(1))
        {
            if (line.Length == 0) continue;
            int colon = line.IndexOf(':');
            if (colon <= 0) throw new InvalidDataException($"Malformed HTTP header line '{line}': expected 'Name: value'.");
            fields.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
        }
        return new HttpHead(lines[0], fields);
    }

    /// <summary>
    /// Reads from <paramref name="socket"/> until the blank line that ends the head. Bytes that arrived after it
    /// already belong to the WebSocket stream and are returned in <paramref name="leftover"/>.
    /// </summary>
    public static async Task<(HttpHead Head, byte[] Leftover)> ReadAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxLength];
        int filled = 0;
        while (true)
        {
            int end = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                var head = Parse(Encoding.Latin1.GetString(buffer, 0, end));
                return (head, buffer.AsSpan(end + 4, filled - end - 4).ToArray());
            }
            if (filled == buffer.Length)
                throw new InvalidDataException($"The HTTP head is longer than {MaxLength} bytes without ending in an empty line.");
            int read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0)
                throw new EndOfStreamException(filled == 0
                    ? "The peer closed the connection before sending an HTTP head."
                    : $"The peer closed the connection in the middle of the HTTP head: '{Encoding.Latin1.GetString(buffer, 0, filled)}'.");
            filled += read;
        }
    }
}
