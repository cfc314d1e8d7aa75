using System.Text;
using Wirehub.Protocol;

namespace Wirehub.Cli.Bench;

/// <summary>
/// The opening handshake written by hand (RFC 6455 §4.1): the request bytes are built once, and a response is checked
/// against the one accept value they can produce.
/// </summary>
/// <remarks>
/// Every connection sends the same Sec-WebSocket-Key. §4.1 asks a browser-grade client for a fresh nonce each time, but
/// the nonce protects caches, not servers, and a fixed one leaves the generator only a byte comparison per handshake.
/// </remarks>
internal sealed class UpgradeRequest
{
    private const string Key = "d2lyZWh1Yi1iZW5jaC1rIQ==";

    /// <param name="target">The server and path to upgrade.</param>
    /// <param name="subprotocol">A subprotocol to offer (§4.1 item 10), e.g. wirehub.v1 for the realtime endpoint; none by default.</param>
    public UpgradeRequest(BenchTarget target, string? subprotocol = null)
    {
        Bytes = Encoding.ASCII.GetBytes(
            $"GET {target.Path} HTTP/1.1\r\n"
            + $"Host: {target.HostHeader}\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + $"Sec-WebSocket-Key: {Key}\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + (subprotocol is null ? "" : $"Sec-WebSocket-Protocol: {subprotocol}\r\n")
            + "\r\n");
        ExpectedAccept = Encoding.ASCII.GetBytes(HandshakeKey.ComputeAccept(Key));
    }

    /// <summary>The whole request, ready to send.</summary>
    public byte[] Bytes { get; }

    private byte[] ExpectedAccept { get; }

    /// <summary>
    /// Finds the end of the response head in <paramref name="received"/> and checks it.
    /// </summary>
    /// <returns>
    /// The length of the head including its blank line; 0 when the head is not complete yet. Bytes after it are
    /// already WebSocket frames.
    /// </returns>
    /// <exception cref="BenchFailure">The server did not accept the upgrade.</exception>
    public int CheckResponse(ReadOnlySpan<byte> received)
    {
        int end = received.IndexOf("\r\n\r\n"u8);
        if (end < 0)
        {
            return 0;
        }

        ReadOnlySpan<byte> head = received[..end];
        int lineEnd = head.IndexOf("\r\n"u8);
        ReadOnlySpan<byte> statusLine = lineEnd < 0 ? head : head[..lineEnd];

        // §4.2.2: anything but 101 means the server refused; §4.1 item 4 of the client rules: the accept must match.
        if (!statusLine.StartsWith("HTTP/1.1 101"u8))
        {
            throw new BenchFailure(BenchErrorKind.Handshake,
                $"The server answered '{Encoding.ASCII.GetString(statusLine)}' instead of 101 Switching Protocols; "
                + "check that the URL points at a WebSocket endpoint.");
        }

        if (!HasAccept(head[(lineEnd + 2)..]))
        {
            throw new BenchFailure(BenchErrorKind.Handshake,
                "The 101 response lacks the Sec-WebSocket-Accept value computed from the request key (RFC 6455 §4.2.2); "
                + "the server's handshake is broken.");
        }

        return end + 4;
    }

    private bool HasAccept(ReadOnlySpan<byte> fields)
    {
        foreach (Range range in fields.Split("\r\n"u8))
        {
            ReadOnlySpan<byte> line = fields[range];
            int colon = line.IndexOf((byte)':');
            if (colon > 0
                && Ascii.EqualsIgnoreCase(line[..colon], "Sec-WebSocket-Accept"u8)
                && line[(colon + 1)..].Trim(" \t"u8).SequenceEqual(ExpectedAccept))
            {
                return true;
            }
        }

        return false;
    }
}
