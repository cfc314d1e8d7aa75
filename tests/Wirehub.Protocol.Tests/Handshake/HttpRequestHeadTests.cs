using System.Buffers;
using System.Text;

namespace Wirehub.Protocol.Tests.Handshake;

public class HttpRequestHeadTests
{
    private const int Limit = 8192;

    // The sample request of RFC 6455 §1.2.
    private const string UpgradeHead =
        "GET /chat?room=1 HTTP/1.1\r\n" +
        "Host: server.example.com\r\n" +
        "Upgrade: websocket\r\n" +
        "Connection: Upgrade\r\n" +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
        "Origin: http://example.com\r\n" +
        "Sec-WebSocket-Protocol: chat, superchat\r\n" +
        "Sec-WebSocket-Version: 13\r\n" +
        "\r\n";

    private static HttpHeadReadStatus Read(string text, out HttpRequestHead? head, int limit = Limit) =>
        HttpRequestHead.TryRead(new ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(text)), limit, out head, out _);

    private static HttpRequestHead ReadComplete(string text)
    {
        Assert.Equal(HttpHeadReadStatus.Complete, Read(text, out var head));
        Assert.NotNull(head);
        return head;
    }

    private static HttpHeadReadStatus StatusOf(string text, int limit = Limit) => Read(text, out _, limit);

    [Fact]
    public void Upgrade_request_is_read_with_request_line_and_fields()
    {
        var head = ReadComplete(UpgradeHead);

        Assert.Equal("GET", head.Method);
        Assert.Equal("/chat?room=1", head.Target);
        Assert.Equal("HTTP/1.1", head.Version);
        Assert.Equal("server.example.com", head.GetHeader("Host"));
        Assert.Equal("websocket", head.GetHeader("Upgrade"));
        Assert.Equal("Upgrade", head.GetHeader("Connection"));
        Assert.Equal("dGhlIHNhbXBsZSBub25jZQ==", head.GetHeader("Sec-WebSocket-Key"));
        Assert.Equal("chat, superchat", head.GetHeader("Sec-WebSocket-Protocol"));
        Assert.Equal("13", head.GetHeader("Sec-WebSocket-Version"));
        Assert.Equal(7, head.Headers.Count());
    }

    [Fact]
    public void Header_names_are_matched_case_insensitively()
    {
        var head = ReadComplete("GET / HTTP/1.1\r\nsec-websocket-KEY: abc\r\n\r\n");

        Assert.Equal("abc", head.GetHeader("Sec-WebSocket-Key"));
    }

    [Fact]
    public void Missing_header_reads_as_null()
    {
        Assert.Null(ReadComplete(UpgradeHead).GetHeader("Sec-WebSocket-Extensions"));
    }

    [Fact]
    public void Null_header_name_is_refused()
    {
        var head = ReadComplete(UpgradeHead);

        Assert.Throws<ArgumentNullException>(() => head.GetHeader(null!));
    }

    [Fact]
    public void Fields_of_one_name_are_joined_with_comma_space()
    {
        var head = ReadComplete(
            "GET / HTTP/1.1\r\nSec-WebSocket-Protocol: a\r\nHost: h\r\nsec-websocket-protocol: b, c\r\nSEC-WEBSOCKET-PROTOCOL: d\r\n\r\n");

        Assert.Equal("a, b, c, d", head.GetHeader("Sec-WebSocket-Protocol"));
    }

    [Fact]
    public void Headers_lists_every_field_line_in_order_as_received()
    {
        var head = ReadComplete("GET / HTTP/1.1\r\nX-A: 1\r\nHost: h\r\nx-a: 2\r\n\r\n");

        Assert.Equal([new("X-A", "1"), new("Host", "h"), new("x-a", "2")], head.Headers.ToArray());
    }

    [Fact]
    public void Whitespace_around_field_values_is_removed()
    {
        var head = ReadComplete("GET / HTTP/1.1\r\nUpgrade: \t websocket \t\r\nEmpty:\r\n\r\n");

        Assert.Equal("websocket", head.GetHeader("Upgrade"));
        Assert.Equal("", head.GetHeader("Empty"));
    }

    [Fact]
    public void Obs_text_in_values_is_read_as_latin1()
    {
        var head = ReadComplete("GET / HTTP/1.1\r\nX-Note: caf\u00e9\r\n\r\n");

        Assert.Equal("caf\u00e9", head.GetHeader("X-Note"));
    }

    [Fact]
    public void Head_without_fields_is_complete()
    {
        var head = ReadComplete("GET / HTTP/1.1\r\n\r\n");

        Assert.Equal("/", head.Target);
        Assert.Empty(head.Headers);
    }

    [Theory]
    [InlineData("POST / HTTP/1.1", "POST", "/", "HTTP/1.1")]
    [InlineData("GET /ws HTTP/1.0", "GET", "/ws", "HTTP/1.0")]
    [InlineData("OPTIONS * HTTP/1.1", "OPTIONS", "*", "HTTP/1.1")]
    [InlineData("GET http://example.com:80/a?b=c HTTP/2.0", "GET", "http://example.com:80/a?b=c", "HTTP/2.0")]
    [InlineData("M-SEARCH /%20x HTTP/1.1", "M-SEARCH", "/%20x", "HTTP/1.1")]
    public void Request_line_parts_are_read_as_sent(string requestLine, string method, string target, string version)
    {
        var head = ReadComplete(requestLine + "\r\n\r\n");

        Assert.Equal(method, head.Method);
        Assert.Equal(target, head.Target);
        Assert.Equal(version, head.Version);
    }

    [Fact]
    public void Consumed_is_just_after_the_empty_line_and_later_bytes_are_kept()
    {
        byte[] bytes = [.. Encoding.ASCII.GetBytes(UpgradeHead), 0x81, 0x85, 1, 2, 3, 4, .. "Hello"u8];
        var input = new ReadOnlySequence<byte>(bytes);

        Assert.Equal(HttpHeadReadStatus.Complete, HttpRequestHead.TryRead(input, Limit, out _, out var consumed));

        Assert.Equal(UpgradeHead.Length, input.Slice(0, consumed).Length);
        Assert.Equal([0x81, 0x85, 1, 2, 3, 4, .. "Hello"u8], input.Slice(consumed).ToArray());
    }

    [Fact]
    public void A_second_pipelined_request_is_left_unread()
    {
        const string second = "GET /next HTTP/1.1\r\n\r\n";
        var input = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(UpgradeHead + second));

        Assert.Equal(HttpHeadReadStatus.Complete, HttpRequestHead.TryRead(input, Limit, out var head, out var consumed));

        Assert.Equal("/chat?room=1", head!.Target);
        Assert.Equal(second, Encoding.ASCII.GetString(input.Slice(consumed).ToArray()));
    }

    [Fact]
    public void Every_split_of_the_input_into_two_segments_reads_the_same_head()
    {
        byte[] bytes = [.. Encoding.ASCII.GetBytes(UpgradeHead), 0x81, 0x80];
        for (var cut = 0; cut <= bytes.Length; cut++)
        {
            var input = MultiSegmentSequence.Split(bytes, [cut]);

            Assert.Equal(HttpHeadReadStatus.Complete, HttpRequestHead.TryRead(input, Limit, out var head, out var consumed));
            Assert.Equal("/chat?room=1", head!.Target);
            Assert.Equal("dGhlIHNhbXBsZSBub25jZQ==", head.GetHeader("Sec-WebSocket-Key"));
            Assert.Equal([0x81, 0x80], input.Slice(consumed).ToArray());
        }
    }

    [Fact]
    public void Every_split_of_the_input_into_three_segments_reads_the_same_head()
    {
        var bytes = Encoding.ASCII.GetBytes(UpgradeHead + "tail");
        for (var first = 0; first <= bytes.Length; first++)
        {
            for (var second = first; second <= bytes.Length; second++)
            {
                var input = MultiSegmentSequence.Split(bytes, [first, second]);

                Assert.Equal(HttpHeadReadStatus.Complete, HttpRequestHead.TryRead(input, Limit, out var head, out var consumed));
                Assert.Equal("GET", head!.Method);
                Assert.Equal("13", head.GetHeader("Sec-WebSocket-Version"));
                Assert.Equal("tail"u8.ToArray(), input.Slice(consumed).ToArray());
            }
        }
    }

    [Fact]
    public void One_byte_segments_read_the_same_head()
    {
        var bytes = Encoding.ASCII.GetBytes(UpgradeHead);
        var input = MultiSegmentSequence.Split(bytes, Enumerable.Range(1, bytes.Length - 1));

        Assert.Equal(HttpHeadReadStatus.Complete, HttpRequestHead.TryRead(input, Limit, out var head, out var consumed));
        Assert.Equal("http://example.com", head!.GetHeader("Origin"));
        Assert.Equal(input.End, consumed);
    }

    [Fact]
    public void Every_proper_prefix_of_a_head_needs_more_data()
    {
        for (var length = 0; length < UpgradeHead.Length; length++)
        {
            Assert.Equal(HttpHeadReadStatus.NeedMoreData, StatusOf(UpgradeHead[..length]));
        }
    }

    [Fact]
    public void Incomplete_result_leaves_head_null_and_consumed_at_the_start()
    {
        var input = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: h\r\n"));

        Assert.Equal(HttpHeadReadStatus.NeedMoreData, HttpRequestHead.TryRead(input, Limit, out var head, out var consumed));
        Assert.Null(head);
        Assert.Equal(input.Start, consumed);
    }

    [Fact]
    public void Malformed_result_leaves_head_null_and_consumed_at_the_start()
    {
        var input = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nBad Name: x\r\n\r\n"));

        Assert.Equal(HttpHeadReadStatus.Malformed, HttpRequestHead.TryRead(input, Limit, out var head, out var consumed));
        Assert.Null(head);
        Assert.Equal(input.Start, consumed);
    }
}
