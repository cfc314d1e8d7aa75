using System.Buffers.Text;
using System.Text;

namespace Wirehub.Realtime.Protocol;

/// <summary>
/// Turns the raw bytes of an escaped JSON string (RFC 8259 §7) into the UTF-8 text it stands for. Unlike
/// <see cref="System.Text.Json.Utf8JsonReader.CopyString(Span{byte})"/> it never throws: an escaped lone surrogate
/// (<c>"\ud800"</c>, which JSON's grammar allows and the reader lets through) becomes U+FFFD, as a UTF-8 decoder does
/// with a broken sequence, so any stored <c>data</c> converts.
/// </summary>
internal static class JsonStringUnescaper
{
    /// <summary>
    /// Writes the unescaped text of <paramref name="escaped"/> (the string's bytes between its quotes, valid JSON) to
    /// <paramref name="destination"/>, which needs <paramref name="escaped"/>'s length at most: no escape is shorter
    /// than the UTF-8 it stands for. Returns the bytes written.
    /// </summary>
    public static int Unescape(ReadOnlySpan<byte> escaped, Span<byte> destination)
    {
        int written = 0;
        while (!escaped.IsEmpty)
        {
            int plain = escaped.IndexOf((byte)'\\');
            if (plain < 0) plain = escaped.Length;
            escaped[..plain].CopyTo(destination[written..]);
            written += plain;
            escaped = escaped[plain..];
            if (escaped.IsEmpty) break;
            byte kind = escaped[1];
            if (kind != (byte)'u')
            {
                destination[written++] = kind switch
                {
                    (byte)'b' => (byte)'\b',
                    (byte)'f' => (byte)'\f',
                    (byte)'n' => (byte)'\n',
                    (byte)'r' => (byte)'\r',
                    (byte)'t' => (byte)'\t',
                    _ => kind, // \" \\ \/
                };
                escaped = escaped[2..];
                continue;
            }
            char unit = Hex4(escaped[2..6]);
            escaped = escaped[6..];
            int scalar = unit;
            if (char.IsHighSurrogate(unit) && escaped.Length >= 6 && escaped[0] == (byte)'\\' && escaped[1] == (byte)'u'
                && Hex4(escaped[2..6]) is var low && char.IsLowSurrogate(low))
            {
                scalar = char.ConvertToUtf32(unit, low);
                escaped = escaped[6..];
            }
            else if (char.IsSurrogate(unit))
            {
                scalar = Rune.ReplacementChar.Value;
            }
            written += new Rune(scalar).EncodeToUtf8(destination[written..]);
        }
        return written;
    }

    private static char Hex4(ReadOnlySpan<byte> digits)
    {
        Utf8Parser.TryParse(digits, out ushort value, out _, 'X');
        return (char)value;
    }
}
