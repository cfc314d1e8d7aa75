using System.Buffers;

namespace Wirehub.Protocol;

/// <summary>
/// Character classes of HTTP/1.1 header fields (RFC 9110 §5.1, §5.5; RFC 9112 §5), shared by the request writer, the
/// response reader and the handshake validators.
/// </summary>
internal static class HttpFieldSyntax
{
    // tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
    private const string TokenCharacters =
        "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private static readonly SearchValues<char> TokenChars = SearchValues.Create(TokenCharacters);

    private static readonly SearchValues<byte> TokenBytes = SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    // What this side writes in a field value: SP, HTAB and VCHAR. obs-text is only tolerated on receipt (RFC 9110 §5.5).
    private static readonly SearchValues<char> OutgoingValueChars = SearchValues.Create(CreateOutgoingValueChars());

    // What this side accepts in a received field value or reason phrase: SP, HTAB, VCHAR and obs-text (0x80-0xFF).
    private static readonly SearchValues<byte> IncomingValueBytes = SearchValues.Create(CreateIncomingValueBytes());

    /// <summary>True when <paramref name="value"/> is a non-empty RFC 9110 token.</summary>
    public static bool IsToken(ReadOnlySpan<char> value) => !value.IsEmpty && !value.ContainsAnyExcept(TokenChars);

    /// <summary>True when <paramref name="value"/> is a non-empty RFC 9110 token.</summary>
    public static bool IsToken(ReadOnlySpan<byte> value) => !value.IsEmpty && !value.ContainsAnyExcept(TokenBytes);

    /// <summary>True when every character may be sent in a field value: printable ASCII, space or tab.</summary>
    public static bool IsOutgoingFieldValue(ReadOnlySpan<char> value) => !value.ContainsAnyExcept(OutgoingValueChars);

    /// <summary>True when every byte may appear in a received field value: no control character but tab.</summary>
    public static bool IsIncomingFieldValue(ReadOnlySpan<byte> value) => !value.ContainsAnyExcept(IncomingValueBytes);

    /// <summary>True for the optional whitespace of RFC 9110 §5.6.3: space or horizontal tab.</summary>
    public static bool IsWhitespace(int c) => c is ' ' or '\t';

    /// <summary>Removes the optional whitespace around a field value or list element.</summary>
    public static ReadOnlySpan<char> TrimWhitespace(ReadOnlySpan<char> value) => value.Trim(" \t");

    /// <summary>Removes the optional whitespace around a field value.</summary>
    public static ReadOnlySpan<byte> TrimWhitespace(ReadOnlySpan<byte> value) => value.Trim(" \t"u8);

    private static string CreateOutgoingValueChars()
    {
        var chars = new char[1 + 1 + ('~' - '!' + 1)];
        chars[0] = '\t';
        chars[1] = ' ';
        for (var c = '!'; c <= '~'; c++)
        {
            chars[c - '!' + 2] = c;
        }

        return new string(chars);
    }

    private static byte[] CreateIncomingValueBytes()
    {
        var bytes = new List<byte> { (byte)'\t', (byte)' ' };
        for (var b = (int)'!'; b <= 0xFF; b++)
        {
            if (b != 0x7F)
            {
                bytes.Add((byte)b);
            }
        }

        return [.. bytes];
    }
}
