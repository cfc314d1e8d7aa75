using System.Security.Cryptography;
using System.Text;

namespace Wirehub.Conformance.Tests.Wire;

/// <summary>The HTTP/1.1 Upgrade exchange that opens a WebSocket connection (RFC 6455 §4), for both roles.</summary>
internal static class OpeningHandshake
{
    private const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));

    /// <summary>Sec-WebSocket-Accept: base64(SHA-1(key + GUID)) (RFC 6455 §4.2.2 step 5.4).</summary>
    public static string AcceptFor(string key) => Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + AcceptGuid)));

    public static string BuildRequest(Uri url, string key, string? extensions)
    {
        var request = new StringBuilder()
            .Append("GET ").Append(string.IsNullOrEmpty(url.PathAndQuery) ? "/" : url.PathAndQuery).Append(" HTTP/1.1\r\n")
            .Append("Host: ").Append(url.Authority).Append("\r\n")
            .Append("User-Agent: Wirehub-Conformance-FuzzingClient\r\n")
            .Append("Upgrade: websocket\r\n")
            .Append("Connection: Upgrade\r\n")
            .Append("Pragma: no-cache\r\n")
            .Append("Cache-Control: no-cache\r\n")
            .Append("Sec-WebSocket-Key: ").Append(key).Append("\r\n")
            .Append("Sec-WebSocket-Version: 13\r\n");
        if (extensions is not null) request.Append("Sec-WebSocket-Extensions: ").Append(extensions).Append("\r\n");
        return request.Append("\r\n").ToString();
    }

    /// <summary>The client's checks of the server's answer (RFC 6455 §4.1, "the client MUST"); null when it is valid.</summary>
    public static string? ValidateResponse(HttpHead head, string key)
    {
        var status = head.StartLine.Split(' ', 3);
        if (status.Length < 2 || !status[0].StartsWith("HTTP/1.", StringComparison.Ordinal))
            return $"The server did not answer with an HTTP/1.1 status line: '{head.StartLine}'.";
        if (status[1] != "101")
            return $"The server refused the upgrade with '{head.StartLine}' instead of 101 Switching Protocols.";
        if (!head.HasToken("Upgrade", "websocket"))
            return $"The 101 response has Upgrade '{head["Upgrade"]}'; RFC 6455 §4.1 requires 'websocket'.";
        if (!head.HasToken("Connection", "upgrade"))
            return $"The 101 response has Connection '{head["Connection"]}'; RFC 6455 §4.1 requires the 'Upgrade' token.";
        string expected = AcceptFor(key);
        if (head["Sec-WebSocket-Accept"] != expected)
            return $"Sec-WebSocket-Accept is '{head["Sec-WebSocket-Accept"]}' but must be '{expected}' for key '{key}' (RFC 6455 §4.2.2).";
        return null;
    }

    /// <summary>The server's checks of a client's upgrade request (RFC 6455 §4.2.1); null when it is valid.</summary>
    public static string? ValidateRequest(HttpHead head, out string target)
    {
        var parts = head.StartLine.Split(' ');
        target = parts.Length == 3 ? parts[1] : "/";
        if (parts.Length != 3 || parts[0] != "GET" || parts[2] != "HTTP/1.1")
            return $"The request line '{head.StartLine}' is not 'GET <target> HTTP/1.1' (RFC 6455 §4.2.1 item 1).";
        if (head["Host"] is null)
            return "The request has no Host header (RFC 6455 §4.2.1 item 2).";
        if (!head.HasToken("Upgrade", "websocket"))
            return $"The request has Upgrade '{head["Upgrade"]}'; it must contain 'websocket' (RFC 6455 §4.2.1 item 3).";
        if (!head.HasToken("Connection", "upgrade"))
            return $"The request has Connection '{head["Connection"]}'; it must contain 'Upgrade' (RFC 6455 §4.2.1 item 4).";
        string? key = head["Sec-WebSocket-Key"];
        Span<byte> decoded = stackalloc byte[24];
        if (key is null || !Convert.TryFromBase64String(key, decoded, out int length) || length != 16)
            return $"Sec-WebSocket-Key '{key}' is not the base64 form of 16 bytes (RFC 6455 §4.2.1 item 5).";
        if (head["Sec-WebSocket-Version"] != "13")
            return $"Sec-WebSocket-Version is '{head["Sec-WebSocket-Version"]}'; this server speaks version 13 (RFC 6455 §4.2.1 item 6).";
        return null;
    }

    public static string BuildResponse(string key, string? extensions)
    {
        var response = new StringBuilder()
            .Append("HTTP/1.1 101 Switching Protocols\r\n")
            .Append("Server: Wirehub-Conformance-FuzzingServer\r\n")
            .Append("Upgrade: websocket\r\n")
            .Append("Connection: Upgrade\r\n")
            .Append("Sec-WebSocket-Accept: ").Append(AcceptFor(key)).Append("\r\n");
        if (extensions is not null) response.Append("Sec-WebSocket-Extensions: ").Append(extensions).Append("\r\n");
        return response.Append("\r\n").ToString();
    }

    public static string BuildRefusal(int status, string reasonPhrase, string message)
    {
        var body = Encoding.UTF8.GetBytes(message + "\n");
        return $"HTTP/1.1 {status} {reasonPhrase}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {body.Length}\r\n" +
               (status == 426 ? "Sec-WebSocket-Version: 13\r\n" : "") + "Connection: close\r\n\r\n" + message + "\n";
    }
}
