namespace Wirehub.Conformance.Tests.Wire;

/// <summary>One extension from a Sec-WebSocket-Extensions header with its parameters in order (RFC 6455 §9.1).</summary>
internal sealed record ExtensionHeader(string Name, IReadOnlyList<KeyValuePair<string, string?>> Parameters)
{
    /// <summary>
    /// Parses "name; param; param=value, name2" lists; quoted-string values are unquoted. Throws
    /// <see cref="FormatException"/> saying what is malformed.
    /// </summary>
    public static IReadOnlyList<ExtensionHeader> ParseList(string? header)
    {
        var extensions = new List<ExtensionHeader>();
        if (string.IsNullOrWhiteSpace(header)) return extensions;
        foreach (var item in SplitOutsideQuotes(header, ','))
        {
            if (item.Trim().Length == 0) continue;
            var parts = SplitOutsideQuotes(item, ';');
            string name = parts[0].Trim();
            if (!IsToken(name)) throw new FormatException($"'{name}' in Sec-WebSocket-Extensions '{header}' is not an extension token.");
            var parameters = new List<KeyValuePair<string, string?>>();
            foreach (var part in parts.Skip(1))
            {
                int equals = part.IndexOf('=');
                string key = (equals < 0 ? part : part[..equals]).Trim();
                string? value = equals < 0 ? null : part[(equals + 1)..].Trim();
                if (value is { Length: >= 2 } && value[0] == '"' && value[^1] == '"') value = value[1..^1];
                if (!IsToken(key) || value is { Length: 0 })
                    throw new FormatException($"Parameter '{part.Trim()}' of '{name}' in Sec-WebSocket-Extensions '{header}' is malformed.");
                parameters.Add(new(key, value));
            }
            extensions.Add(new ExtensionHeader(name, parameters));
        }
        return extensions;
    }

    private static List<string> SplitOutsideQuotes(string text, char separator)
    {
        var parts = new List<string>();
        bool quoted = false;
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '"') quoted = !quoted;
            else if (text[i] == separator && !quoted)
            {
                parts.Add(text[start..i]);
                start = i + 1;
            }
        }
        parts.Add(text[start..]);
        return parts;
    }

    private static bool IsToken(string text) =>
        text.Length > 0 && text.All(c => c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".IndexOf(c) < 0);
}
