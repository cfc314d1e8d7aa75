using System.Buffers;
using System.Text;

namespace Wirehub.Protocol.Tests.Handshake;

public class ClientHandshakeRequestTests
{
    private const string Key = "dGhlIHNhbXBsZSBub25jZQ==";

    private static string Write(ClientHandshakeRequest request)
    {
        var output = new ArrayBufferWriter<byte>();
        var written = request.WriteTo(output);
        Assert.Equal(output.WrittenCount, written);
        return Encoding.ASCII.GetString(output.WrittenSpan);
    }

    private static string[] Lines(string head)
    {
        Assert.EndsWith("\r\n\r\n", head);
        return head[..^4].Split("\r\n");
    }

    private static string HostOf(string uri) =>
        Lines(Write(new ClientHandshakeRequest { Uri = new Uri(uri), Key = Key }))
            .Single(line => line.StartsWith("Host: ", StringComparison.Ordinal))["Host: ".Length..];

    private static string RequestLineOf(string uri) =>
        Lines(Write(new ClientHandshakeRequest { Uri = new Uri(uri), Key = Key }))[0];

    [Fact]
    public void Minimal_request_is_the_rfc_handshake_head()
    {
        var head = Write(new ClientHandshakeRequest { Uri = new Uri("ws://server.example.com/chat"), Key = Key });

        Assert.Equal(
            "GET /chat HTTP/1.1\r\n" +
            "Host: server.example.com\r\n" +
            "Upgrade: websocket\r\n" +
            "Connection: Upgrade\r\n" +
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
            "Sec-WebSocket-Version: 13\r\n" +
            "\r\n",
            head);
    }

    [Fact]
    public void Origin_subprotocols_and_extensions_are_written_when_set()
    {
        var head = Write(new ClientHandshakeRequest
        {
            Uri = new Uri("ws://server.example.com/chat"),
            Key = Key,
            Origin = "http://example.com",
            Subprotocols = ["chat", "superchat"],
            Extensions = "permessage-deflate; client_max_window_bits",
        });

        var lines = Lines(head);
        Assert.Contains("Origin: http://example.com", lines);
        Assert.Contains("Sec-WebSocket-Protocol: chat, superchat", lines);
        Assert.Contains("Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits", lines);
    }

    [Fact]
    public void Written_bytes_are_appended_to_what_the_writer_already_holds()
    {
        var output = new ArrayBufferWriter<byte>();
        output.Write("xyz"u8);

        var written = new ClientHandshakeRequest { Uri = new Uri("ws://h/"), Key = Key }.WriteTo(output);

        Assert.Equal(3 + written, output.WrittenCount);
        Assert.StartsWith("xyzGET / HTTP/1.1\r\n", Encoding.ASCII.GetString(output.WrittenSpan));
    }

    [Theory]
    [InlineData("ws://h/chat?room=1&x=y", "GET /chat?room=1&x=y HTTP/1.1")]
    [InlineData("ws://h", "GET / HTTP/1.1")]
    [InlineData("ws://h?q", "GET /?q HTTP/1.1")]
    [InlineData("ws://h/a b/ä", "GET /a%20b/%C3%A4 HTTP/1.1")]
    [InlineData("ws://h/a%2Fb", "GET /a%2Fb HTTP/1.1")]
    public void Request_target_is_the_escaped_path_and_query(string uri, string requestLine)
    {
        Assert.Equal(requestLine, RequestLineOf(uri));
    }

    [Theory]
    [InlineData("ws://example.com/", "example.com")]
    [InlineData("ws://example.com:80/", "example.com")]
    [InlineData("wss://example.com:443/", "example.com")]
    [InlineData("http://example.com:80/", "example.com")]
    [InlineData("https://example.com/", "example.com")]
    public void Host_leaves_out_the_default_port_of_the_scheme(string uri, string host)
    {
        Assert.Equal(host, HostOf(uri));
    }

    [Theory]
    [InlineData("ws://example.com:8080/", "example.com:8080")]
    [InlineData("ws://example.com:443/", "example.com:443")]
    [InlineData("wss://example.com:80/", "example.com:80")]
    [InlineData("https://example.com:8443/", "example.com:8443")]
    public void Host_carries_a_port_that_is_not_the_default(string uri, string host)
    {
        Assert.Equal(host, HostOf(uri));
    }

    [Theory]
    [InlineData("ws://[::1]/", "[::1]")]
    [InlineData("ws://[::1]:9000/", "[::1]:9000")]
    [InlineData("wss://[2001:db8::7]/", "[2001:db8::7]")]
    [InlineData("ws://[fe80::1%25eth0]:81/", "[fe80::1]:81")]
    public void Host_brackets_IPv6_literals(string uri, string host)
    {
        Assert.Equal(host, HostOf(uri));
    }

    [Fact]
    public void Host_writes_international_names_in_their_ascii_form()
    {
        Assert.Equal("xn--bcher-kva.example", HostOf("wss://bücher.example/"));
    }

    [Fact]
    public void Custom_headers_follow_the_handshake_headers_in_order()
    {
        var head = Write(new ClientHandshakeRequest
        {
            Uri = new Uri("ws://h/"),
            Key = Key,
            Headers = [new("Authorization", "Bearer abc.def"), new("X-Trace", "1"), new("X-Trace", "2")],
        });

        var lines = Lines(head);
        Assert.Equal(["Authorization: Bearer abc.def", "X-Trace: 1", "X-Trace: 2"], lines[^3..]);
    }

    [Theory]
    [InlineData("X-Evil", "a\r\nInjected: yes")]
    [InlineData("X-Evil", "a\nInjected: yes")]
    [InlineData("X-Evil", "a\rb")]
    [InlineData("X-Evil", "a\0b")]
    [InlineData("X-Evil\r\nInjected", "yes")]
    [InlineData("X Evil", "yes")]
    [InlineData("X-Evil:", "yes")]
    [InlineData("", "yes")]
    [InlineData("X-Text", "naïve")]
    public void Header_that_could_inject_lines_or_is_not_valid_http_is_refused(string name, string value)
    {
        var exception = Assert.Throws<ArgumentException>(() =>
            new ClientHandshakeRequest { Uri = new Uri("ws://h/"), Key = Key, Headers = [new(name, value)] });

        Assert.Equal("Headers", exception.ParamName);
    }

    [Theory]
    [InlineData("Host")]
    [InlineData("upgrade")]
    [InlineData("CONNECTION")]
    [InlineData("Sec-WebSocket-Key")]
    [InlineData("Sec-WebSocket-Version")]
    [InlineData("sec-websocket-protocol")]
    [InlineData("Sec-WebSocket-Extensions")]
    [InlineData("Sec-WebSocket-Accept")]
    [InlineData("Origin")]
    [InlineData("Content-Length")]
    [InlineData("Transfer-Encoding")]
    public void Header_the_handshake_owns_is_refused(string name)
    {
        var exception = Assert.Throws<ArgumentException>(() =>
            new ClientHandshakeRequest { Uri = new Uri("ws://h/"), Key = Key, Headers = [new(name, "x")] });

        Assert.Contains(name, exception.Message);
    }

    [Fact]
    public void Header_list_changed_after_it_was_set_is_checked_again_before_writing()
    {
        var headers = new List<KeyValuePair<string, string>> { new("X-Ok", "1") };
        var request = new ClientHandshakeRequest { Uri = new Uri("ws://h/"), Key = Key, Headers = headers };
        headers.Add(new("X-Evil", "a\r\nInjected: yes"));
        var output = new ArrayBufferWriter<byte>();

        Assert.Throws<ArgumentException>(() => request.WriteTo(output));
        Assert.Equal(0, output.WrittenCount);
    }

    [Theory]
    [InlineData("a\r\nInjected: yes")]
    [InlineData("permessage-deflate\n")]
    public void Extensions_with_line_breaks_are_refused(string extensions)
    {
        Assert.Throws<ArgumentException>(() =>
            new ClientHandshakeRequest { Uri = new Uri("ws://h/"), Key = Key, Extensions = extensions });
    }

    [Fact]
    public void Origin_with_line_breaks_is_refused()
    {
        Assert.Throws<ArgumentException>(() =>
            new ClientHandshakeRequest { Uri = new Uri("ws://h/"), Key = Key, Origin = "http://a\r\nX: y" });
    }

    [Theory]
    [InlineData("chat room")]
    [InlineData("chat,room")]
    [InlineData("")]
    [InlineData("chat\r\nX: y")]
    public void Subprotocol_that_is_not_a_token_is_refused(string subprotocol)
    {
        Assert.Throws<ArgumentException>(() =>
            new ClientHandshakeRequest { Uri = new Uri("ws://h/"), Key = Key, Subprotocols = [subprotocol] });
    }

    [Fact]
    public void Subprotocol_offered_twice_is_refused()
    {
        Assert.Throws<ArgumentException>(() =>
            new ClientHandshakeRequest { Uri = new Uri("ws://h/"), Key = Key, Subprotocols = ["chat", "chat"] });
    }

    [Theory]
    [InlineData("ftp://h/")]
    [InlineData("ws://h/#fragment")]
    [InlineData("ws://user:secret@h/")]
    public void Uri_a_websocket_cannot_connect_to_is_refused(string uri)
    {
        var exception = Assert.Throws<ArgumentException>(() =>
            new ClientHandshakeRequest { Uri = new Uri(uri), Key = Key });

        Assert.Equal("Uri", exception.ParamName);
    }

    [Fact]
    public void Relative_uri_is_refused()
    {
        Assert.Throws<ArgumentException>(() =>
            new ClientHandshakeRequest { Uri = new Uri("/chat", UriKind.Relative), Key = Key });
    }

    [Theory]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Key_that_is_not_base64_of_16_bytes_is_refused(string key)
    {
        var exception = Assert.Throws<ArgumentException>(() =>
            new ClientHandshakeRequest { Uri = new Uri("ws://h/"), Key = key });

        Assert.Equal("Key", exception.ParamName);
    }

    [Fact]
    public void Written_request_passes_the_server_validator()
    {
        var head = Write(new ClientHandshakeRequest
        {
            Uri = new Uri("ws://h:81/"),
            Key = HandshakeKey.CreateClientKey(),
            Subprotocols = ["chat"],
        });
        var lines = Lines(head);
        string? Field(string name) => lines.Skip(1).Where(l => l.StartsWith(name + ": ", StringComparison.Ordinal))
            .Select(l => l[(name.Length + 2)..]).SingleOrDefault();
        var requestLine = lines[0].Split(' ');

        var request = new HandshakeRequest(requestLine[0], requestLine[2], Field("Host"), Field("Upgrade"),
            Field("Connection"), Field("Sec-WebSocket-Key"), Field("Sec-WebSocket-Version"), Field("Origin"),
            Field("Sec-WebSocket-Protocol"), Field("Sec-WebSocket-Extensions"));

        Assert.Null(HandshakeValidator.Validate(request));
    }
}
