using System.Buffers;
using System.Text;

namespace Wirehub.Protocol;

/// <summary>
/// A parsed HTTP/1.1 request head, request line and header fields (RFC 9112 §3, §5), as a server that handles the
/// opening handshake on a raw connection reads it. Strict in the same ways as <see cref="HttpResponseHead"/>.
/// </summary>
public sealed class HttpRequestHead
{
    private readonly KeyValuePair<string, string>[] fields;

    private HttpRequestHead(string method, string target, string version, KeyValuePair<string, string>[] fields)
    {
        Method = method;
        Target = target;
        Version = version;
        this.fields = fields;
    }

    /// <summary>The request method, for example "GET".</summary>
    public string Method { get; }

    /// <summary>The request target as sent, for example "/chat?room=1".</summary>
    public string Target { get; }

    /// <summary>The HTTP version, for example "HTTP/1.1".</summary>
    public string Version { get; }

    /// <summary>The header fields in the order received.</summary>
    public IEnumerable<KeyValuePair<string, string>> Headers => fields.AsReadOnly();

    /// <summary>The value of a header (case-insensitive name); several fields of one name are joined with ", ".</summary>
    public string? GetHeader(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string? value = null;
        foreach (var field in fields)
        {
            if (!string.Equals(field.Key, name, StringComparison.OrdinalIgnoreCase)) continue;
            value = value is null ? field.Value : value + ", " + field.Value;
        }
        return value;
    }

    /// <summary>
    /// Reads a request head from the start of <paramref name="input"/>, up to and including its empty line. Every line
    /// must end with CR LF; a request line that is not <c>method SP target SP HTTP/x.y</c>, obsolete line folding and
    /// field names that are not tokens make it <see cref="HttpHeadReadStatus.Malformed"/>. At most
    /// <paramref name="maxHeaderBytes"/> bytes are examined (<see cref="HttpHeadReadStatus.TooLarge"/> beyond).
    /// </summary>
    /// <param name="input">The bytes received so far.</param>
    /// <param name="maxHeaderBytes">The largest head accepted.</param>
    /// <param name="head">The head when complete.</param>
    /// <param name="consumed">On completion, the position just after the head; otherwise the start of the input.</param>
    public static HttpHeadReadStatus TryRead(in ReadOnlySequence<byte> input, int maxHeaderBytes,
        out HttpRequestHead? head, out SequencePosition consumed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxHeaderBytes);
        head = null;
        consumed = input.Start;
        var window = input.Slice(0, Math.Min(input.Length, maxHeaderBytes));
        bool windowIsFull = window.Length == maxHeaderBytes;
        HttpHeadReadStatus status;
        int length;
        if (window.IsSingleSegment)
        {
            status = Read(window.FirstSpan, windowIsFull, out head, out length);
        }
        else
        {
            var buffer = ArrayPool<byte>.Shared.Rent((int)window.Length);
            try
            {
                var contiguous = buffer.AsSpan(0, (int)window.Length);
                window.CopyTo(contiguous);
                status = Read(contiguous, windowIsFull, out head, out length);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
        if (status == HttpHeadReadStatus.Complete) consumed = input.GetPosition(length);
        return status;
    }

    private static HttpHeadReadStatus Read(ReadOnlySpan<byte> data, bool windowIsFull, out HttpRequestHead? head, out int length)
    {
        head = null;
        length = 0;
        int end = data.IndexOf("\r\n\r\n"u8);
        if (end < 0)
        {
            // Refuse at once what can never become a request head: a bare LF on any line (RFC 9112 §2.2) means the
            // CR LF CR LF that ends a head may never come, and the client would wait for the timeout, not a 400.
            for (int from = 0; ;)
            {
                int lineFeed = data[from..].IndexOf((byte)'\n');
                if (lineFeed < 0) break;
                lineFeed += from;
                if (lineFeed == 0 || data[lineFeed - 1] != '\r') return HttpHeadReadStatus.Malformed;
                from = lineFeed + 1;
            }
            // The request line starts with a method token (RFC 9112 §3.1): bytes that cannot, such as a TLS ClientHello
            // sent to a plain-text port, are refused now rather than after the timeout.
            int space = data.IndexOf((byte)' ');
            var methodSoFar = space < 0 ? data : data[..space];
            if (space == 0 || (!methodSoFar.IsEmpty && !HttpFieldSyntax.IsToken(methodSoFar))) return HttpHeadReadStatus.Malformed;
            return windowIsFull ? HttpHeadReadStatus.TooLarge : HttpHeadReadStatus.NeedMoreData;
        }
        var block = data[..(end + 2)];
        int lineEnd = block.IndexOf("\r\n"u8);
        if (!TryParseRequestLine(block[..lineEnd], out var method, out var target, out var version)) return HttpHeadReadStatus.Malformed;
        var rest = block[(lineEnd + 2)..];
        var fields = new List<KeyValuePair<string, string>>(12);
        while (!rest.IsEmpty)
        {
            lineEnd = rest.IndexOf("\r\n"u8);
            var line = rest[..lineEnd];
            // A bare CR or LF inside a line would let a line hide another.
            if (line.IndexOfAny((byte)'\r', (byte)'\n') >= 0) return HttpHeadReadStatus.Malformed;
            if (!HttpResponseHead.TryParseField(line, out var name, out var value)) return HttpHeadReadStatus.Malformed;
            fields.Add(new(Encoding.ASCII.GetString(name), Encoding.Latin1.GetString(value)));
            rest = rest[(lineEnd + 2)..];
        }
        length = end + 4;
        head = new HttpRequestHead(
            method.SequenceEqual("GET"u8) ? "GET" : Encoding.ASCII.GetString(method),
            Encoding.ASCII.GetString(target),
            version.SequenceEqual("HTTP/1.1"u8) ? "HTTP/1.1" : Encoding.ASCII.GetString(version),
            [.. fields]);
        return HttpHeadReadStatus.Complete;
    }

    // request-line = method SP request-target SP HTTP-version (RFC 9112 §3).
    private static bool TryParseRequestLine(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> method,
        out ReadOnlySpan<byte> target, out ReadOnlySpan<byte> version)
    {
        method = target = version = default;
        int first = line.IndexOf((byte)' ');
        if (first <= 0) return false;
        int last = line.LastIndexOf((byte)' ');
        if (last <= first + 1) return false;
        method = line[..first];
        target = line[(first + 1)..last];
        version = line[(last + 1)..];
        return HttpFieldSyntax.IsToken(method)
            // The target is visible ASCII only (RFC 9112 §3.2, RFC 3986 §2): a control character, space or byte above
            // 0x7E is refused rather than decoded to '?', which would forge a query string.
            && target.IndexOfAnyExceptInRange((byte)'!', (byte)'~') < 0
            && version.Length == 8 && version.StartsWith("HTTP/"u8) && char.IsAsciiDigit((char)version[5])
            && version[6] == '.' && char.IsAsciiDigit((char)version[7]);
    }
}
