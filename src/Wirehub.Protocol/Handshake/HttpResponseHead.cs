using System.Buffers;
using System.Text;

namespace Wirehub.Protocol;

/// <summary>
/// A parsed HTTP/1.1 response head, status line and header fields (RFC 9112 §4, §5), as the client reads it in answer
/// to its opening handshake.
/// </summary>
public sealed class HttpResponseHead
{
    private const int StatusLineMinLength = 12; // "HTTP/1.1 101"

    private readonly KeyValuePair<string, string>[] fields;

    internal HttpResponseHead(string version, int statusCode, string reasonPhrase, KeyValuePair<string, string>[] fields)
    {
        Version = version;
        StatusCode = statusCode;
        ReasonPhrase = reasonPhrase;
        this.fields = fields;
    }

    /// <summary>The HTTP version of the status line, for example "HTTP/1.1".</summary>
    public string Version { get; }

    /// <summary>The three-digit status code, 100 to 599.</summary>
    public int StatusCode { get; }

    /// <summary>The reason phrase of the status line; empty when the server sent none.</summary>
    public string ReasonPhrase { get; }

    /// <summary>The header fields in the order received, one entry per field line, values without surrounding whitespace.</summary>
    public IEnumerable<KeyValuePair<string, string>> Headers => fields.AsReadOnly();

    /// <summary>
    /// The value of the header <paramref name="name"/>, compared case-insensitively; several fields of that name are
    /// joined with ", " (RFC 9110 §5.3). Null when the response has no such field.
    /// </summary>
    /// <param name="name">The field name.</param>
    public string? GetHeader(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string? first = null;
        StringBuilder? joined = null;
        foreach (var field in fields)
        {
            if (!string.Equals(field.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (first is null)
            {
                first = field.Value;
            }
            else
            {
                joined ??= new StringBuilder(first);
                joined.Append(", ").Append(field.Value);
            }
        }

        return joined?.ToString() ?? first;
    }

    /// <summary>
    /// Reads a response head from the start of <paramref name="input"/>, up to and including the empty line that ends
    /// it. Strict: every line must end with CR LF; bare LF or CR, obsolete line folding, whitespace in or before a field
    /// name, field names that are not tokens, control characters in values and status codes that are not three digits
    /// from 100 to 599 make the head <see cref="HttpHeadReadStatus.Malformed"/>, as soon as the offending line is seen.
    /// No more than <paramref name="maxHeaderBytes"/> bytes of the input are examined.
    /// </summary>
    /// <param name="input">The bytes received so far.</param>
    /// <param name="maxHeaderBytes">The largest head accepted, empty line included; bounds the bytes examined.</param>
    /// <param name="head">The head, when the result is <see cref="HttpHeadReadStatus.Complete"/>; otherwise null.</param>
    /// <param name="consumed">
    /// On <see cref="HttpHeadReadStatus.Complete"/>, the position just after the head: the bytes from there on belong to
    /// the WebSocket stream. Otherwise the start of <paramref name="input"/>.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxHeaderBytes"/> is not positive.</exception>
    public static HttpHeadReadStatus TryRead(in ReadOnlySequence<byte> input, int maxHeaderBytes,
        out HttpResponseHead? head, out SequencePosition consumed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxHeaderBytes);
        head = null;
        consumed = input.Start;

        var window = input.Slice(0, Math.Min(input.Length, maxHeaderBytes));
        var windowIsFull = window.Length == maxHeaderBytes;
        HttpHeadReadStatus status;
        int headLength;
        if (window.IsSingleSegment)
        {
            status = Read(window.FirstSpan, windowIsFull, out head, out headLength);
        }
        else
        {
            // Only a head split across segments is copied, and never more than maxHeaderBytes of it.
            var buffer = ArrayPool<byte>.Shared.Rent((int)window.Length);
            try
            {
                var contiguous = buffer.AsSpan(0, (int)window.Length);
                window.CopyTo(contiguous);
                status = Read(contiguous, windowIsFull, out head, out headLength);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        if (status == HttpHeadReadStatus.Complete)
        {
            consumed = input.GetPosition(headLength);
        }

        return status;
    }

    private static HttpHeadReadStatus Read(ReadOnlySpan<byte> data, bool windowIsFull, out HttpResponseHead? head,
        out int headLength)
    {
        head = null;
        var status = Scan(data, windowIsFull, out headLength, out var fieldCount);
        if (status == HttpHeadReadStatus.Complete)
        {
            head = Build(data[..headLength], fieldCount);
        }

        return status;
    }

    // First pass: validates every complete line without allocating, and finds the end of the head.
    private static HttpHeadReadStatus Scan(ReadOnlySpan<byte> data, bool windowIsFull, out int headLength,
        out int fieldCount)
    {
        headLength = 0;
        fieldCount = 0;
        var position = 0;
        var isStatusLine = true;
        while (true)
        {
            var remaining = data[position..];
            var lineFeed = remaining.IndexOf((byte)'\n');
            if (lineFeed < 0)
            {
                if (!IsPlausiblePartialLine(remaining, isStatusLine))
                {
                    return HttpHeadReadStatus.Malformed;
                }

                return windowIsFull ? HttpHeadReadStatus.TooLarge : HttpHeadReadStatus.NeedMoreData;
            }

            // RFC 9112 §2.2 allows a recipient to accept a bare LF; this reader does not, as a response that is
            // ambiguous about its own framing might hide bytes that belong to the WebSocket stream.
            if (lineFeed == 0 || remaining[lineFeed - 1] != '\r')
            {
                return HttpHeadReadStatus.Malformed;
            }

            var line = remaining[..(lineFeed - 1)];
            position += lineFeed + 1;
            if (isStatusLine)
            {
                if (!TryParseStatusLine(line, out _, out _, out _))
                {
                    return HttpHeadReadStatus.Malformed;
                }

                isStatusLine = false;
            }
            else if (line.IsEmpty)
            {
                headLength = position;
                return HttpHeadReadStatus.Complete;
            }
            else if (!TryParseField(line, out _, out _))
            {
                return HttpHeadReadStatus.Malformed;
            }
            else
            {
                fieldCount++;
            }
        }
    }

    // Second pass, only over a complete and valid head: materialises the strings.
    private static HttpResponseHead Build(ReadOnlySpan<byte> head, int fieldCount)
    {
        var fields = new KeyValuePair<string, string>[fieldCount];
        var lineEnd = head.IndexOf("\r\n"u8);
        TryParseStatusLine(head[..lineEnd], out var version, out var statusCode, out var reason);
        var position = lineEnd + 2;
        for (var i = 0; i < fieldCount; i++)
        {
            lineEnd = head[position..].IndexOf("\r\n"u8);
            TryParseField(head.Slice(position, lineEnd), out var name, out var value);
            fields[i] = new KeyValuePair<string, string>(Encoding.ASCII.GetString(name), Encoding.Latin1.GetString(value));
            position += lineEnd + 2;
        }

        var versionText = version.SequenceEqual("HTTP/1.1"u8) ? "HTTP/1.1" : Encoding.ASCII.GetString(version);
        return new HttpResponseHead(versionText, statusCode, Encoding.Latin1.GetString(reason), fields);
    }

    // status-line = HTTP-version SP status-code SP [ reason-phrase ] (RFC 9112 §4). A missing final SP before an empty
    // reason is tolerated: it is a common server shortcut and leaves no doubt about where the line ends.
    private static bool TryParseStatusLine(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> version, out int statusCode,
        out ReadOnlySpan<byte> reason)
    {
        version = default;
        reason = default;
        statusCode = 0;
        if (line.Length < StatusLineMinLength
            || !line.StartsWith("HTTP/"u8)
            || !char.IsAsciiDigit((char)line[5])
            || line[6] != '.'
            || !char.IsAsciiDigit((char)line[7])
            || line[8] != ' '
            || !char.IsAsciiDigit((char)line[9])
            || !char.IsAsciiDigit((char)line[10])
            || !char.IsAsciiDigit((char)line[11]))
        {
            return false;
        }

        statusCode = ((line[9] - '0') * 100) + ((line[10] - '0') * 10) + (line[11] - '0');
        // RFC 9110 §15: valid status codes are 100 to 599.
        if (statusCode is < 100 or > 599)
        {
            return false;
        }

        version = line[..8];
        if (line.Length == StatusLineMinLength)
        {
            return true;
        }

        if (line[StatusLineMinLength] != ' ')
        {
            return false;
        }

        reason = line[(StatusLineMinLength + 1)..];
        return HttpFieldSyntax.IsIncomingFieldValue(reason);
    }

    // field-line = field-name ":" OWS field-value OWS (RFC 9112 §5). No whitespace is allowed before the colon
    // (§5.1), and a line starting with whitespace would be obsolete line folding (§5.2): both are refused.
    internal static bool TryParseField(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        value = default;
        var colon = line.IndexOf((byte)':');
        name = colon < 0 ? default : line[..colon];
        if (!HttpFieldSyntax.IsToken(name))
        {
            return false;
        }

        value = HttpFieldSyntax.TrimWhitespace(line[(colon + 1)..]);
        return HttpFieldSyntax.IsIncomingFieldValue(value);
    }

    // Fails early on a line that can never become valid, so a peer that does not speak HTTP is refused at once
    // rather than after maxHeaderBytes or a timeout.
    private static bool IsPlausiblePartialLine(ReadOnlySpan<byte> partial, bool isStatusLine)
    {
        // A CR may only be the last byte received, waiting for its LF.
        var carriageReturn = partial.IndexOf((byte)'\r');
        if (carriageReturn >= 0 && carriageReturn != partial.Length - 1)
        {
            return false;
        }

        var content = carriageReturn >= 0 ? partial[..carriageReturn] : partial;
        if (isStatusLine)
        {
            var prefix = "HTTP/"u8;
            var compared = Math.Min(prefix.Length, content.Length);
            return content[..compared].SequenceEqual(prefix[..compared]) && HttpFieldSyntax.IsIncomingFieldValue(content);
        }

        if (content.IsEmpty)
        {
            return true;
        }

        if (HttpFieldSyntax.IsWhitespace(content[0]) || !HttpFieldSyntax.IsIncomingFieldValue(content))
        {
            return false;
        }

        var colon = content.IndexOf((byte)':');
        return HttpFieldSyntax.IsToken(colon < 0 ? content : content[..colon]);
    }
}
