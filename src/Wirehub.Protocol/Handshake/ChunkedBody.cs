using System.Buffers;

namespace Wirehub.Protocol;

/// <summary>
/// Decodes the beginning of an HTTP/1.1 chunked body (RFC 9112 §7.1), enough to show a refusal's reason when the
/// server streams its error page instead of giving a Content-Length. Chunk extensions and trailers are skipped.
/// </summary>
public static class ChunkedBody
{
    /// <summary>
    /// Decodes the chunks in <paramref name="input"/> into at most <paramref name="maxBodyBytes"/> bytes of body.
    /// Returns <see cref="HttpHeadReadStatus.Complete"/> when the last chunk was reached or the limit is full (the body
    /// so far is in <paramref name="body"/>), <see cref="HttpHeadReadStatus.NeedMoreData"/> when the input stops inside
    /// a chunk (the body decoded so far is still in <paramref name="body"/>), and <see cref="HttpHeadReadStatus.Malformed"/>
    /// when the framing is not valid chunked coding.
    /// </summary>
    public static HttpHeadReadStatus TryDecode(ReadOnlySequence<byte> input, int maxBodyBytes, out byte[] body)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBodyBytes);
        var reader = new SequenceReader<byte>(input);
        var decoded = new ArrayBufferWriter<byte>();
        body = [];
        while (true)
        {
            if (!reader.TryReadTo(out ReadOnlySequence<byte> sizeLine, "\r\n"u8))
            {
                body = decoded.WrittenSpan.ToArray();
                return reader.Remaining > 32 ? HttpHeadReadStatus.Malformed : HttpHeadReadStatus.NeedMoreData;
            }
            if (!TryParseSize(sizeLine, out long size)) return HttpHeadReadStatus.Malformed;
            if (size == 0)
            {
                body = decoded.WrittenSpan.ToArray();
                return HttpHeadReadStatus.Complete; // trailers, if any, are of no interest
            }
            long wanted = Math.Min(size, maxBodyBytes - decoded.WrittenCount);
            long available = Math.Min(wanted, reader.Remaining);
            var chunk = input.Slice(reader.Position, available);
            foreach (var segment in chunk) decoded.Write(segment.Span);
            if (decoded.WrittenCount >= maxBodyBytes)
            {
                body = decoded.WrittenSpan.ToArray();
                return HttpHeadReadStatus.Complete;
            }
            if (reader.Remaining < size + 2)
            {
                body = decoded.WrittenSpan.ToArray();
                return HttpHeadReadStatus.NeedMoreData;
            }
            reader.Advance(size);
            if (!reader.IsNext("\r\n"u8, advancePast: true)) return HttpHeadReadStatus.Malformed;
        }
    }

    private static bool TryParseSize(ReadOnlySequence<byte> line, out long size)
    {
        size = 0;
        Span<byte> buffer = stackalloc byte[32];
        if (line.Length > buffer.Length) return false;
        line.CopyTo(buffer);
        var text = buffer[..(int)line.Length];
        int extension = text.IndexOf((byte)';');
        if (extension >= 0) text = text[..extension];
        text = text.TrimEnd((byte)' ').TrimEnd((byte)'\t');
        if (text.IsEmpty || text.Length > 15) return false;
        foreach (byte b in text)
        {
            int digit = b switch
            {
                >= (byte)'0' and <= (byte)'9' => b - '0',
                >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
                _ => -1,
            };
            if (digit < 0) return false;
            size = size * 16 + digit;
        }
        return true;
    }
}
