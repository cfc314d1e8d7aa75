using System.Buffers;

namespace Wirehub.Protocol;

/// <summary>
/// The client's opening handshake request (RFC 6455 §4.1). Every property is checked when set, so that nothing a
/// caller supplies can break the request apart or take over a header the handshake owns.
/// </summary>
public sealed class ClientHandshakeRequest
{
    private const int DefaultPort = 80;
    private const int DefaultSecurePort = 443;

    /// <summary>
    /// The ws:// or wss:// URI to connect to; http:// and https:// are accepted and treated alike. It must be absolute
    /// and carry neither a fragment (RFC 6455 §3) nor user information.
    /// </summary>
    /// <exception cref="ArgumentException">The URI is not one a WebSocket can connect to.</exception>
    public required Uri Uri
    {
        get;
        init
        {
            CheckUri(value);
            field = value;
        }
    }

    /// <summary>The Sec-WebSocket-Key: the base64 encoding of 16 random bytes, see <see cref="HandshakeKey.CreateClientKey"/>.</summary>
    /// <exception cref="ArgumentException">The key is not the base64 encoding of 16 bytes.</exception>
    public required string Key
    {
        get;
        init
        {
            CheckKey(value);
            field = value;
        }
    }

    /// <summary>The subprotocols to offer, most preferred first: distinct tokens (RFC 6455 §4.1 item 10).</summary>
    /// <exception cref="ArgumentException">A name is not a token, or appears twice.</exception>
    public IReadOnlyList<string> Subprotocols
    {
        get;
        init
        {
            CheckSubprotocols(value);
            field = value;
        }
    } = [];

    /// <summary>The raw Sec-WebSocket-Extensions offer, or null to offer none.</summary>
    /// <exception cref="ArgumentException">The value contains a control character or non-ASCII text.</exception>
    public string? Extensions
    {
        get;
        init
        {
            CheckOptionalValue(value, "Sec-WebSocket-Extensions", nameof(Extensions));
            field = value;
        }
    }

    /// <summary>The Origin header (RFC 6454), or null to send none.</summary>
    /// <exception cref="ArgumentException">The value contains a control character or non-ASCII text.</exception>
    public string? Origin
    {
        get;
        init
        {
            CheckOptionalValue(value, "Origin", nameof(Origin));
            field = value;
        }
    }

    /// <summary>
    /// Additional header fields, written after the handshake's own in the given order. Names must be tokens and values
    /// printable ASCII; fields the handshake owns (Host, Upgrade, Connection, Origin, Sec-WebSocket-*) and message-body
    /// framing (Content-Length, Transfer-Encoding) are refused.
    /// </summary>
    /// <exception cref="ArgumentException">A field is refused; the message says which and why.</exception>
    public IReadOnlyList<KeyValuePair<string, string>> Headers
    {
        get;
        init
        {
            CheckHeaders(value);
            field = value;
        }
    } = [];

    /// <summary>
    /// Writes the request head, from "GET /path?query HTTP/1.1" to the empty line that ends it. The Host header carries
    /// the port only when it is not the scheme's default, and IPv6 addresses in brackets.
    /// </summary>
    /// <param name="output">Receives the ASCII bytes of the head.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentException">A header list was changed after it was set and now holds a refused field.</exception>
    public int WriteTo(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);

        // The lists may be mutable collections changed since they were set: check them again before writing anything.
        CheckSubprotocols(Subprotocols);
        CheckHeaders(Headers);

        var target = Uri.GetComponents(UriComponents.PathAndQuery, UriFormat.UriEscaped);
        var host = GetHostValue(Uri);
        var subprotocols = Subprotocols.Count == 0 ? null : string.Join(", ", Subprotocols);

        var length = "GET ".Length + target.Length + " HTTP/1.1\r\n".Length
            + FieldLength("Host", host)
            + FieldLength("Upgrade", "websocket")
            + FieldLength("Connection", "Upgrade")
            + FieldLength("Sec-WebSocket-Key", Key)
            + FieldLength("Sec-WebSocket-Version", HandshakeValidator.SupportedVersion)
            + (Origin is null ? 0 : FieldLength("Origin", Origin))
            + (subprotocols is null ? 0 : FieldLength("Sec-WebSocket-Protocol", subprotocols))
            + (Extensions is null ? 0 : FieldLength("Sec-WebSocket-Extensions", Extensions))
            + "\r\n".Length;
        foreach (var header in Headers)
        {
            length += FieldLength(header.Key, header.Value);
        }

        var writer = new AsciiSpanWriter(output.GetSpan(length));
        writer.Write("GET ");
        writer.Write(target);
        writer.Write(" HTTP/1.1\r\n");
        writer.WriteField("Host", host);
        writer.WriteField("Upgrade", "websocket");
        writer.WriteField("Connection", "Upgrade");
        writer.WriteField("Sec-WebSocket-Key", Key);
        writer.WriteField("Sec-WebSocket-Version", HandshakeValidator.SupportedVersion);
        if (Origin is not null)
        {
            writer.WriteField("Origin", Origin);
        }

        if (subprotocols is not null)
        {
            writer.WriteField("Sec-WebSocket-Protocol", subprotocols);
        }

        if (Extensions is not null)
        {
            writer.WriteField("Sec-WebSocket-Extensions", Extensions);
        }

        foreach (var header in Headers)
        {
            writer.WriteField(header.Key, header.Value);
        }

        writer.Write("\r\n");
        output.Advance(writer.Written);
        return writer.Written;
    }

    private static int FieldLength(string name, string value) => name.Length + ": ".Length + value.Length + "\r\n".Length;

    // RFC 6455 §4.1 item 4 and RFC 9112 §3.2: Host is the authority without user information; the port is left out
    // when it is the scheme's default. Uri.Host keeps IPv6 brackets and drops the zone identifier, which has no meaning
    // to the server (RFC 6874 §4); IdnHost turns an internationalised name into its ASCII form.
    private static string GetHostValue(Uri uri)
    {
        var host = uri.HostNameType == UriHostNameType.IPv6 ? uri.Host : uri.IdnHost;
        var defaultPort = IsSecure(uri) ? DefaultSecurePort : DefaultPort;
        return uri.Port == defaultPort ? host : $"{host}:{uri.Port}";
    }

    private static bool IsSecure(Uri uri) =>
        uri.Scheme.Equals("wss", StringComparison.OrdinalIgnoreCase)
        || uri.Scheme.Equals("https", StringComparison.OrdinalIgnoreCase);

    private static void CheckUri(Uri value)
    {
        ArgumentNullException.ThrowIfNull(value, nameof(Uri));
        if (!value.IsAbsoluteUri)
        {
            throw new ArgumentException(
                $"The WebSocket URI '{value}' is relative; give an absolute ws:// or wss:// URI.", nameof(Uri));
        }

        var scheme = value.Scheme.ToLowerInvariant();
        if (scheme is not ("ws" or "wss" or "http" or "https"))
        {
            throw new ArgumentException(
                $"The URI scheme '{value.Scheme}' cannot open a WebSocket; use ws:// or wss://.", nameof(Uri));
        }

        if (value.Fragment.Length > 0)
        {
            throw new ArgumentException(
                $"The WebSocket URI '{value}' has a fragment, which RFC 6455 §3 forbids; remove the '#' part.", nameof(Uri));
        }

        if (value.UserInfo.Length > 0)
        {
            throw new ArgumentException(
                "The WebSocket URI carries user information, which RFC 6455 §3 does not allow; send credentials in an Authorization header instead.",
                nameof(Uri));
        }
    }

    private static void CheckKey(string value)
    {
        ArgumentNullException.ThrowIfNull(value, nameof(Key));
        if (!HandshakeKey.IsValidClientKey(value))
        {
            throw new ArgumentException(
                "The key is not the base64 encoding of 16 bytes (RFC 6455 §4.1 item 7); create one with HandshakeKey.CreateClientKey().",
                nameof(Key));
        }
    }

    private static void CheckSubprotocols(IReadOnlyList<string> value)
    {
        ArgumentNullException.ThrowIfNull(value, nameof(Subprotocols));
        for (var i = 0; i < value.Count; i++)
        {
            var name = value[i];
            if (name is null || !HttpFieldSyntax.IsToken(name))
            {
                throw new ArgumentException(
                    $"The subprotocol '{name}' is not a token (RFC 6455 §4.1 item 10); use letters, digits and !#$%&'*+-.^_`|~ only.",
                    nameof(Subprotocols));
            }

            for (var j = 0; j < i; j++)
            {
                if (string.Equals(value[j], name, StringComparison.Ordinal))
                {
                    throw new ArgumentException(
                        $"The subprotocol '{name}' is offered twice; each name may appear once (RFC 6455 §4.1 item 10).",
                        nameof(Subprotocols));
                }
            }
        }
    }

    private static void CheckOptionalValue(string? value, string fieldName, string parameterName)
    {
        if (value is not null && !HttpFieldSyntax.IsOutgoingFieldValue(value))
        {
            throw new ArgumentException(
                $"The {fieldName} value contains a control character (such as CR or LF) or non-ASCII text; use printable ASCII only.",
                parameterName);
        }
    }

    private static void CheckHeaders(IReadOnlyList<KeyValuePair<string, string>> value)
    {
        ArgumentNullException.ThrowIfNull(value, nameof(Headers));
        foreach (var (name, fieldValue) in value)
        {
            if (name is null || !HttpFieldSyntax.IsToken(name))
            {
                throw new ArgumentException(
                    $"'{name}' is not a valid header name (RFC 9110 §5.1); use letters, digits and !#$%&'*+-.^_`|~ only.",
                    nameof(Headers));
            }

            var owner = OwnerOf(name);
            if (owner is not null)
            {
                throw new ArgumentException($"The header '{name}' cannot be set in Headers: {owner}", nameof(Headers));
            }

            if (fieldValue is null || !HttpFieldSyntax.IsOutgoingFieldValue(fieldValue))
            {
                throw new ArgumentException(
                    $"The value of header '{name}' is null, or contains a control character (such as CR or LF, which would inject header lines) or non-ASCII text; use printable ASCII only.",
                    nameof(Headers));
            }
        }
    }

    // Says who writes a header the caller may not set, or null when the caller may set it.
    private static string? OwnerOf(string name)
    {
        if (name.Equals("Sec-WebSocket-Protocol", StringComparison.OrdinalIgnoreCase))
        {
            return "set the Subprotocols property instead.";
        }

        if (name.Equals("Sec-WebSocket-Extensions", StringComparison.OrdinalIgnoreCase))
        {
            return "set the Extensions property instead.";
        }

        if (name.Equals("Origin", StringComparison.OrdinalIgnoreCase))
        {
            return "set the Origin property instead.";
        }

        if (name.Equals("Host", StringComparison.OrdinalIgnoreCase)
            || name.Equals("Upgrade", StringComparison.OrdinalIgnoreCase)
            || name.Equals("Connection", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("Sec-WebSocket-", StringComparison.OrdinalIgnoreCase))
        {
            return "the WebSocket handshake writes it from the Uri and Key.";
        }

        if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
            || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
        {
            return "the handshake request has no body, and a body length would make the server wait for one.";
        }

        return null;
    }
}
