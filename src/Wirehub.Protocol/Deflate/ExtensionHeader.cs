using System.Text;

namespace Wirehub.Protocol;

/// <summary>Reads <c>Sec-WebSocket-Extensions</c> header values (RFC 6455 §9.1).</summary>
public static class ExtensionHeader
{
    /// <summary>
    /// Parses an extension list: <c>extension-list = 1#( token *( ";" token [ "=" ( token | quoted-string ) ] ) )</c>,
    /// with optional whitespace around separators and empty list elements ignored (RFC 7230 §7). Several header lines
    /// are expected to be joined with <c>", "</c> beforehand.
    /// </summary>
    /// <param name="value">The header value; <see langword="null"/>, empty or blank means no extensions.</param>
    /// <param name="offers">The extensions in header order; empty when <paramref name="value"/> is blank; empty on failure.</param>
    /// <returns><see langword="false"/> when the value does not follow the grammar.</returns>
    public static bool TryParse(string? value, out IReadOnlyList<ExtensionOffer> offers)
    {
        offers = [];
        if (string.IsNullOrWhiteSpace(value))
        {
            return true;
        }

        var parsed = new List<ExtensionOffer>();
        int position = 0;
        while (true)
        {
            SkipWhitespace(value, ref position);
            if (position == value.Length)
            {
                break;
            }

            if (value[position] == ',')
            {
                // An empty list element, e.g. "a, , b" (RFC 7230 §7: recipients accept and ignore them).
                position++;
                continue;
            }

            if (!TryReadExtension(value, ref position, out ExtensionOffer? offer))
            {
                return false;
            }

            parsed.Add(offer);
            SkipWhitespace(value, ref position);
            if (position == value.Length)
            {
                break;
            }

            if (value[position] != ',')
            {
                return false;
            }

            position++;
        }

        // "1#": a list made only of commas has no element.
        if (parsed.Count == 0)
        {
            return false;
        }

        offers = parsed;
        return true;
    }

    private static bool TryReadExtension(string text, ref int position, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ExtensionOffer? offer)
    {
        offer = null;
        string? name = ReadToken(text, ref position);
        if (name is null)
        {
            return false;
        }

        var parameters = new List<ExtensionParameter>();
        while (true)
        {
            SkipWhitespace(text, ref position);
            if (position == text.Length || text[position] != ';')
            {
                break;
            }

            position++;
            SkipWhitespace(text, ref position);
            string? parameterName = ReadToken(text, ref position);
            if (parameterName is null)
            {
                return false;
            }

            SkipWhitespace(text, ref position);
            string? parameterValue = null;
            if (position < text.Length && text[position] == '=')
            {
                position++;
                SkipWhitespace(text, ref position);
                parameterValue = position < text.Length && text[position] == '"'
                    ? ReadQuotedToken(text, ref position)
                    : ReadToken(text, ref position);
                if (parameterValue is null)
                {
                    return false;
                }
            }

            parameters.Add(new ExtensionParameter(parameterName, parameterValue));
        }

        offer = new ExtensionOffer(name, parameters);
        return true;
    }

    private static string? ReadToken(string text, ref int position)
    {
        int start = position;
        while (position < text.Length && IsTokenChar(text[position]))
        {
            position++;
        }

        return position == start ? null : text[start..position];
    }

    // RFC 6455 §9.1: a quoted-string value must, once unescaped, still conform to the token rule.
    private static string? ReadQuotedToken(string text, ref int position)
    {
        position++; // opening DQUOTE
        var unescaped = new StringBuilder();
        while (position < text.Length)
        {
            char c = text[position++];
            if (c == '"')
            {
                return unescaped.Length == 0 ? null : unescaped.ToString();
            }

            if (c == '\\')
            {
                if (position == text.Length)
                {
                    return null;
                }

                c = text[position++];
            }

            if (!IsTokenChar(c))
            {
                return null;
            }

            unescaped.Append(c);
        }

        return null; // unterminated quoted-string
    }

    private static void SkipWhitespace(string text, ref int position)
    {
        while (position < text.Length && text[position] is ' ' or '\t')
        {
            position++;
        }
    }

    // RFC 7230 §3.2.6 tchar.
    private static bool IsTokenChar(char c) => c switch
    {
        >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' => true,
        '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~' => true,
        _ => false,
    };
}
