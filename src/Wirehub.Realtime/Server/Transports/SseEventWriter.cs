using System.Buffers;
using System.Text;

namespace Wirehub.Realtime.Server.Transports;

/// <summary>
/// Encodes the events of the Server-Sent Events transport (HTML Living Standard, "Server-sent events"): each frame is
/// one event whose <c>data</c> is the frame's JSON, written straight into the response's pipe.
/// </summary>
internal static class SseEventWriter
{
    private static ReadOnlySpan<byte> DataPrefix => "data: "u8;

    /// <summary><c>event: open</c> with <c>{"session":"ID"}</c>; returns the bytes written.</summary>
    public static int WriteOpen(IBufferWriter<byte> writer, string sessionId)
    {
        writer.Write("event: open\ndata: {\"session\":\""u8);
        // A base64url id needs no JSON escaping.
        int length = Encoding.ASCII.GetBytes(sessionId, writer.GetSpan(sessionId.Length));
        writer.Advance(length);
        writer.Write("\"}\n\n"u8);
        return "event: open\ndata: {\"session\":\""u8.Length + length + "\"}\n\n"u8.Length;
    }

    /// <summary>
    /// One frame as one event. A compact frame is one <c>data:</c> line; a frame that carries line breaks (JSON
    /// whitespace inside a published <c>data</c> value) takes one <c>data:</c> line per line, which the client's parser
    /// joins with <c>\n</c>: still the same JSON. Returns the bytes written.
    /// </summary>
    public static int WriteFrame(IBufferWriter<byte> writer, ReadOnlySpan<byte> frame)
    {
        int written = 1;
        // A shared push is not cached in its SSE form: the encoding is a fixed prefix and suffix around the unchanged
        // JSON, and the JSON is copied into each stream's pipe either way, so a cache would save only this vectorised
        // line-break scan, at the price of a lookup per push.
        while (true)
        {
            int lineEnd = frame.IndexOfAny((byte)'\r', (byte)'\n');
            writer.Write(DataPrefix);
            var line = lineEnd < 0 ? frame : frame[..lineEnd];
            writer.Write(line);
            writer.Write("\n"u8);
            written += DataPrefix.Length + line.Length + 1;
            if (lineEnd < 0) break;
            // CRLF, CR and LF each end a line in an event stream.
            int next = frame[lineEnd] == '\r' && lineEnd + 1 < frame.Length && frame[lineEnd + 1] == '\n' ? lineEnd + 2 : lineEnd + 1;
            frame = frame[next..];
        }
        writer.Write("\n"u8);
        return written;
    }

    /// <summary>A comment line: keeps proxies and the client's idle timers from closing a quiet stream. Returns the bytes written.</summary>
    public static int WriteKeepAlive(IBufferWriter<byte> writer)
    {
        writer.Write(": keep-alive\n\n"u8);
        return ": keep-alive\n\n"u8.Length;
    }

    /// <summary><c>event: close</c> with <c>{"code":N,"reason":"..."}</c>; returns the bytes written.</summary>
    public static int WriteClose(IBufferWriter<byte> writer, TransportClose close)
    {
        writer.Write("event: close\ndata: "u8);
        int json = TransportCloseJson.Write(writer, close);
        writer.Write("\n\n"u8);
        return "event: close\ndata: "u8.Length + json + "\n\n"u8.Length;
    }
}
