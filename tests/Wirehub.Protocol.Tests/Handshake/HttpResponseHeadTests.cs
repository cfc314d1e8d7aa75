using System.Buffers;
using System.Text;

namespace Wirehub.Protocol.Tests.Handshake;

public class HttpResponseHeadTests
{
    private const int Limit = 8192;

    private const string SwitchingHead =
        "HTTP/1.1 101 Switching Protocols\r\n" +
        "Upgrade: websocket\r\n" +
        "Connection: Upgrade\r\n" +
        "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n" +
        "Sec-WebSocket-Protocol: chat\r\n" +
        "\r\n";

    private static HttpHeadReadStatus Read(string text, out HttpResponseHead? head, int limit = Limit) =>
        HttpResponseHead.TryRead(new ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(text)), limit, out head, out _);

    private static HttpResponseHead ReadComplete(string text)
    {
        Assert.Equal(HttpHeadReadStatus.Complete, Read(text, out var head));
        Assert.NotNull(head);
        return head;
    }

    private static HttpHeadReadStatus StatusOf(string text, int limit = Limit) => Read(text, out _, limit);

    [Fact]
    public void Switching_protocols_head_is_read_with_status_line_and_fields()
    {
        var head = ReadComplete(SwitchingHead);

        Assert.Equal("HTTP/1.1", head.Version);
        Assert.Equal(101, head.StatusCode);
        Assert.Equal("Switching Protocols", head.ReasonPhrase);
        Assert.Equal("websocket", head.GetHeader("Upgrade"));
        Assert.Equal("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", head.GetHeader("Sec-WebSocket-Accept"));
        Assert.Equal(4, head.Headers.Count());
    }

    [Fact]
    public void Header_names_are_matched_case_insensitively()
    {
        var head = ReadComplete("HTTP/1.1 101 OK\r\nsec-websocket-ACCEPT: abc\r\n\r\n");

        Assert.Equal("abc", head.GetHeader("Sec-WebSocket-Accept"));
    }

    [Fact]
    public void Missing_header_reads_as_null()
    {
        Assert.Null(ReadComplete(SwitchingHead).GetHeader("Sec-WebSocket-Extensions"));
    }

    [Fact]
    public void Fields_of_one_name_are_joined_with_comma_space()
    {
        var head = ReadComplete("HTTP/1.1 101 OK\r\nX-A: 1\r\nOther: z\r\nx-a: 2\r\nX-A: 3\r\n\r\n");

        Assert.Equal("1, 2, 3", head.GetHeader("X-A"));
    }

    [Fact]
    public void Headers_lists_every_field_line_in_order_as_received()
    {
        var head = ReadComplete("HTTP/1.1 101 OK\r\nX-A: 1\r\nOther: z\r\nx-a: 2\r\n\r\n");

        Assert.Equal(
            [new("X-A", "1"), new("Other", "z"), new("x-a", "2")],
            head.Headers.ToArray());
    }

    [Fact]
    public void Whitespace_around_field_values_is_removed()
    {
        var head = ReadComplete("HTTP/1.1 101 OK\r\nUpgrade: \t websocket \t\r\nEmpty:\r\n\r\n");

        Assert.Equal("websocket", head.GetHeader("Upgrade"));
        Assert.Equal("", head.GetHeader("Empty"));
    }

    [Fact]
    public void Obs_text_in_values_is_read_as_latin1()
    {
        var head = ReadComplete("HTTP/1.1 403 Verboten\r\nX-Note: caf\u00e9\r\n\r\n");

        Assert.Equal("caf\u00e9", head.GetHeader("X-Note"));
    }

    [Fact]
    public void Status_line_without_reason_phrase_reads_empty_reason()
    {
        Assert.Equal("", ReadComplete("HTTP/1.1 101 \r\n\r\n").ReasonPhrase);
        Assert.Equal("", ReadComplete("HTTP/1.1 101\r\n\r\n").ReasonPhrase);
    }

    [Fact]
    public void Reason_phrase_keeps_its_inner_spaces()
    {
        Assert.Equal("Not  Found here", ReadComplete("HTTP/1.1 404 Not  Found here\r\n\r\n").ReasonPhrase);
    }

    [Fact]
    public void Head_without_fields_is_complete()
    {
        var head = ReadComplete("HTTP/1.0 400 Bad Request\r\n\r\n");

        Assert.Equal("HTTP/1.0", head.Version);
        Assert.Equal(400, head.StatusCode);
        Assert.Empty(head.Headers);
    }

    [Fact]
    public void Consumed_is_just_after_the_empty_line_and_later_bytes_are_kept()
    {
        byte[] bytes = [.. Encoding.ASCII.GetBytes(SwitchingHead), 0x81, 0x05, .. "Hello"u8];
        var input = new ReadOnlySequence<byte>(bytes);

        Assert.Equal(HttpHeadReadStatus.Complete, HttpResponseHead.TryRead(input, Limit, out _, out var consumed));

        Assert.Equal(SwitchingHead.Length, input.Slice(0, consumed).Length);
        Assert.Equal([0x81, 0x05, .. "Hello"u8], input.Slice(consumed).ToArray());
    }

    [Fact]
    public void Every_split_of_the_input_into_two_segments_reads_the_same_head()
    {
        byte[] bytes = [.. Encoding.ASCII.GetBytes(SwitchingHead), 0x81, 0x00];
        for (var cut = 0; cut <= bytes.Length; cut++)
        {
            var input = MultiSegmentSequence.Split(bytes, [cut]);

            Assert.Equal(HttpHeadReadStatus.Complete, HttpResponseHead.TryRead(input, Limit, out var head, out var consumed));
            Assert.Equal(101, head!.StatusCode);
            Assert.Equal("chat", head.GetHeader("Sec-WebSocket-Protocol"));
            Assert.Equal([0x81, 0x00], input.Slice(consumed).ToArray());
        }
    }

    [Fact]
    public void Every_split_of_the_input_into_three_segments_reads_the_same_head()
    {
        var bytes = Encoding.ASCII.GetBytes(SwitchingHead + "tail");
        for (var first = 0; first <= bytes.Length; first++)
        {
            for (var second = first; second <= bytes.Length; second++)
            {
                var input = MultiSegmentSequence.Split(bytes, [first, second]);

                Assert.Equal(HttpHeadReadStatus.Complete, HttpResponseHead.TryRead(input, Limit, out var head, out var consumed));
                Assert.Equal("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", head!.GetHeader("Sec-WebSocket-Accept"));
                Assert.Equal("tail"u8.ToArray(), input.Slice(consumed).ToArray());
            }
        }
    }

    [Fact]
    public void One_byte_segments_read_the_same_head()
    {
        var bytes = Encoding.ASCII.GetBytes(SwitchingHead);
        var input = MultiSegmentSequence.Split(bytes, Enumerable.Range(1, bytes.Length - 1));

        Assert.Equal(HttpHeadReadStatus.Complete, HttpResponseHead.TryRead(input, Limit, out var head, out var consumed));
        Assert.Equal("Switching Protocols", head!.ReasonPhrase);
        Assert.Equal(input.End, consumed);
    }

    [Fact]
    public void Every_proper_prefix_of_a_head_needs_more_data()
    {
        for (var length = 0; length < SwitchingHead.Length; length++)
        {
            Assert.Equal(HttpHeadReadStatus.NeedMoreData, StatusOf(SwitchingHead[..length]));
        }
    }

    [Fact]
    public void Incomplete_result_leaves_head_null_and_consumed_at_the_start()
    {
        var input = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes("HTTP/1.1 101 OK\r\n"));

        Assert.Equal(HttpHeadReadStatus.NeedMoreData, HttpResponseHead.TryRead(input, Limit, out var head, out var consumed));
        Assert.Null(head);
        Assert.Equal(input.Start, consumed);
    }

    [Fact]
    public void Head_that_does_not_end_within_the_limit_is_too_large()
    {
        var text = "HTTP/1.1 101 OK\r\nX-Padding: " + new string('a', 200);

        Assert.Equal(HttpHeadReadStatus.TooLarge, StatusOf(text, limit: 100));
    }

    [Fact]
    public void Head_exactly_as_long_as_the_limit_is_complete()
    {
        Assert.Equal(HttpHeadReadStatus.Complete, StatusOf(SwitchingHead + "more", limit: SwitchingHead.Length));
    }

    [Fact]
    public void Head_one_byte_longer_than_the_limit_is_too_large()
    {
        Assert.Equal(HttpHeadReadStatus.TooLarge, StatusOf(SwitchingHead, limit: SwitchingHead.Length - 1));
    }

    [Fact]
    public void Input_shorter_than_the_limit_without_the_end_of_the_head_needs_more_data()
    {
        Assert.Equal(HttpHeadReadStatus.NeedMoreData, StatusOf("HTTP/1.1 101 OK\r\nUpgrade: websocket\r\n", limit: 100));
    }

    [Fact]
    public void Non_positive_limit_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            HttpResponseHead.TryRead(ReadOnlySequence<byte>.Empty, 0, out _, out _));
    }

    [Theory]
    [InlineData("HTTP/1.1 101 OK\nUpgrade: websocket\r\n\r\n")]
    [InlineData("HTTP/1.1 101 OK\r\nUpgrade: websocket\n\r\n")]
    [InlineData("HTTP/1.1 101 OK\r\n\n")]
    [InlineData("HTTP/1.1 101 OK\n\n")]
    public void Bare_LF_line_end_is_malformed(string text)
    {
        Assert.Equal(HttpHeadReadStatus.Malformed, StatusOf(text));
    }

    [Theory]
    [InlineData("HTTP/1.1 101 OK\rUpgrade: websocket\r\n\r\n")]
    [InlineData("HTTP/1.1 101 OK\r\nUpgrade: web\rsocket\r\n\r\n")]
    public void Bare_CR_is_malformed(string text)
    {
        Assert.Equal(HttpHeadReadStatus.Malformed, StatusOf(text));
    }

    [Fact]
    public void Obsolete_line_folding_is_malformed()
    {
        Assert.Equal(HttpHeadReadStatus.Malformed, StatusOf("HTTP/1.1 101 OK\r\nX-Long: a\r\n b\r\n\r\n"));
    }

    [Fact]
    public void Whitespace_before_the_first_field_is_malformed()
    {
        Assert.Equal(HttpHeadReadStatus.Malformed, StatusOf("HTTP/1.1 101 OK\r\n\tUpgrade: websocket\r\n\r\n"));
    }

    [Theory]
    [InlineData("Upgrade : websocket")]
    [InlineData("Up grade: websocket")]
    [InlineData(" Upgrade: websocket")]
    public void Whitespace_in_a_field_name_is_malformed(string field)
    {
        Assert.Equal(HttpHeadReadStatus.Malformed, StatusOf($"HTTP/1.1 101 OK\r\n{field}\r\n\r\n"));
    }

    [Theory]
    [InlineData("X(y): 1")]
    [InlineData("X\"y\": 1")]
    [InlineData("Upgr\u00e4de: websocket")]
    [InlineData(": no name")]
    [InlineData("No colon at all")]
    public void Field_name_that_is_not_a_token_is_malformed(string field)
    {
        Assert.Equal(HttpHeadReadStatus.Malformed, StatusOf($"HTTP/1.1 101 OK\r\n{field}\r\n\r\n"));
    }

    [Theory]
    [InlineData("X: a\0b")]
    [InlineData("X: a\u0001b")]
    [InlineData("X: a\u007fb")]
    public void Control_character_in_a_field_value_is_malformed(string field)
    {
        Assert.Equal(HttpHeadReadStatus.Malformed, StatusOf($"HTTP/1.1 101 OK\r\n{field}\r\n\r\n"));
    }

    [Theory]
    [InlineData("HTTP/1.1 10 OK")]
    [InlineData("HTTP/1.1 1010 OK")]
    [InlineData("HTTP/1.1 1O1 OK")]
    [InlineData("HTTP/1.1 +01 OK")]
    [InlineData("HTTP/1.1 OK")]
    public void Status_code_that_is_not_three_digits_is_malformed(string statusLine)
    {
        Assert.Equal(HttpHeadReadStatus.Malformed, StatusOf(statusLine + "\r\n\r\n"));
    }

    [Theory]
    [InlineData("HTTP/1.1 000 Zero")]
    [InlineData("HTTP/1.1 099 Low")]
    [InlineData("HTTP/1.1 600 High")]
    public void Status_code_outside_100_to_599_is_malformed(string statusLine)
    {
        Assert.Equal(HttpHeadReadStatus.Malformed, StatusOf(statusLine + "\r\n\r\n"));
    }

    [Theory]
    [InlineData("HTTP/1.1  101 OK")]
    [InlineData("HTTP/11 101 OK")]
    [InlineData("HTTP/1.1\t101 OK")]
    [InlineData("http/1.1 101 OK")]
    [InlineData("ICY 200 OK")]
    [InlineData("HTTP/1.1 101 O\u0000K")]
    public void Malformed_status_line_is_malformed(string statusLine)
    {
        Assert.Equal(HttpHeadReadStatus.Malformed, StatusOf(statusLine + "\r\n\r\n"));
    }

    [Theory]
    [InlineData("SSH-2.0-OpenSSH")]
    [InlineData("<html>")]
    [InlineData("\u0016\u0003\u0001")]
    public void Response_that_does_not_start_like_HTTP_is_malformed_before_its_end_arrives(string start)
    {
        Assert.Equal(HttpHeadReadStatus.Malformed, StatusOf(start));
    }

    [Fact]
    public void Bad_field_line_is_malformed_before_the_end_of_the_head_arrives()
    {
        Assert.Equal(HttpHeadReadStatus.Malformed, StatusOf("HTTP/1.1 101 OK\r\nBad Name: x\r\nMore: "));
    }
}
