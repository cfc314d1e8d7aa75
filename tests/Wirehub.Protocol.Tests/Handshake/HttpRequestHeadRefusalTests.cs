using System.Buffers;
using System.Text;

namespace Wirehub.Protocol.Tests.Handshake;

/// <summary>What <see cref="HttpRequestHead.TryRead"/> refuses: broken syntax (RFC 9112 §2.2, §3, §5) and heads over the limit.</summary>
public class HttpRequestHeadRefusalTests
{
    private const int Limit = 8192;

    private const string ValidHead = "GET /ws HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\n\r\n";

    private static HttpHeadReadStatus StatusOf(string text, int limit = Limit) =>
        HttpRequestHead.TryRead(new ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(text)), limit, out _, out _);

    [Theory]
    [InlineData("GET / HTTP/1.1\nHost: h\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: h\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\n\n")]
    [InlineData("GET / HTTP/1.1\n\n")]
    [InlineData("\n")]
    public void Bare_LF_line_end_is_malformed(string text)
    {
        Assert.Equal(HttpHeadReadStatus.Malformed, StatusOf(text));
    }

    [Fact]
    public void Bare_LF_is_malformed_before_the_end_of_the_head_arrives()
    {
        Assert.Equal(HttpHeadReadStatus.Malformed, StatusOf("GET / HTTP/1.1\nHost: h"));
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\rHost: h\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: h\rX: y\r\n\r\n")]
    public void Bare_CR_is_malformed(string text)
    {
        Assert.Equal(HttpHeadReadStatus.Malformed, StatusOf(text));
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nX-Long: a\r\n b\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nX-Long: a\r\n\tb\r\n\r\n")]
    public void Obsolete_line_folding_is_malformed(string text)
    {
        Assert.Equal(HttpHeadReadStatus.Malformed, StatusOf(text));
    }

    [Fact]
    public void Whitespace_before_the_first_field_is_malformed()
    {
        Assert.Equal(HttpHeadReadStatus.Malformed, StatusOf("GET / HTTP/1.1\r\n Host: h\r\n\r\n"));
    }

    [Theory]
    [InlineData("Host : h")]
    [InlineData("Ho st: h")]
    [InlineData("X(y): 1")]
    [InlineData("Upgr\u00e4de: websocket")]
    [InlineData(": no name")]
    [InlineData("No colon at all")]
    public void Field_name_that_is_not_a_token_is_malformed(string field)
    {
        Assert.Equal(HttpHeadReadStatus.Malformed, StatusOf($"GET / HTTP/1.1\r\n{field}\r\n\r\n"));
    }

    [Theory]
    [InlineData("X: a\0b")]
    [InlineData("X: a\u0001b")]
    [InlineData("X: a\u007fb")]
    public void Control_character_in_a_field_value_is_malformed(string field)
    {
        Assert.Equal(HttpHeadReadStatus.Malformed, StatusOf($"GET / HTTP/1.1\r\n{field}\r\n\r\n"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("GET")]
    [InlineData("GET /")]
    [InlineData("GET HTTP/1.1")]
    [InlineData("/ HTTP/1.1")]
    [InlineData(" / HTTP/1.1")]
    [InlineData("GET / ")]
    [InlineData("GET  HTTP/1.1")]
    public void Request_line_with_a_missing_part_is_malformed(string requestLine)
    {
        Assert.Equal(HttpHeadReadStatus.Malformed, StatusOf(requestLine + "\r\nHost: h\r\n\r\n"));
    }

    [Theory]
    [InlineData("GET / HTTP/11")]
    [InlineData("GET / HTTP/1.10")]
    [InlineData("GET / http/1.1")]
    [InlineData("GET / HTTP/x.1")]
    [InlineData("GET / HTTP/1,1")]
    [InlineData("GET / HTTPS/1.1")]
    [InlineData("GET / HTTP/1.1 ")]
    [InlineData("GET / ICY")]
    public void Request_line_with_a_bad_version_is_malformed(string requestLine)
    {
        Assert.Equal(HttpHeadReadStatus.Malformed, StatusOf(requestLine + "\r\n\r\n"));
    }

    [Theory]
    [InlineData("GET /a\0b HTTP/1.1")]
    [InlineData("GET /a\tb HTTP/1.1")]
    [InlineData("GET /a\u0001b HTTP/1.1")]
    [InlineData("GET /a\u007fb HTTP/1.1")]
    [InlineData("GET /a b HTTP/1.1")]
    [InlineData("GET  / HTTP/1.1")]
    [InlineData("GET /\u00e9 HTTP/1.1")]
    public void Control_characters_spaces_or_non_ASCII_bytes_in_the_target_are_malformed(string requestLine)
    {
        Assert.Equal(HttpHeadReadStatus.Malformed, StatusOf(requestLine + "\r\n\r\n"));
    }

    [Theory]
    [InlineData("GE(T / HTTP/1.1")]
    [InlineData("G\u00e9T / HTTP/1.1")]
    [InlineData("GET\t/ HTTP/1.1")]
    public void Method_that_is_not_a_token_is_malformed(string requestLine)
    {
        Assert.Equal(HttpHeadReadStatus.Malformed, StatusOf(requestLine + "\r\n\r\n"));
    }

    [Theory]
    [InlineData("\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003")] // a TLS ClientHello
    [InlineData("<html>")]
    [InlineData("GE\u0000")]
    [InlineData(" GET")]
    public void Bytes_that_cannot_start_a_method_are_malformed_before_the_end_of_the_head_arrives(string start)
    {
        Assert.Equal(HttpHeadReadStatus.Malformed, StatusOf(start));
    }

    [Theory]
    [InlineData("G")]
    [InlineData("GET")]
    [InlineData("GET /")]
    [InlineData("M-SEARCH * HTTP/1.")]
    public void Start_of_a_request_line_needs_more_data(string start)
    {
        Assert.Equal(HttpHeadReadStatus.NeedMoreData, StatusOf(start));
    }

    [Fact]
    public void Empty_line_before_the_request_line_is_malformed()
    {
        Assert.Equal(HttpHeadReadStatus.Malformed, StatusOf("\r\n" + ValidHead));
    }

    [Fact]
    public void Head_that_does_not_end_within_the_limit_is_too_large()
    {
        var text = "GET / HTTP/1.1\r\nX-Padding: " + new string('a', 300);

        Assert.Equal(HttpHeadReadStatus.TooLarge, StatusOf(text, limit: 256));
    }

    [Fact]
    public void Complete_head_longer_than_the_limit_is_too_large()
    {
        Assert.Equal(HttpHeadReadStatus.TooLarge, StatusOf(ValidHead, limit: ValidHead.Length - 1));
    }

    [Fact]
    public void Head_exactly_as_long_as_the_limit_is_complete()
    {
        Assert.Equal(HttpHeadReadStatus.Complete, StatusOf(ValidHead + "frames", limit: ValidHead.Length));
    }

    [Fact]
    public void Too_large_result_leaves_head_null_and_consumed_at_the_start()
    {
        var input = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(ValidHead));

        Assert.Equal(HttpHeadReadStatus.TooLarge, HttpRequestHead.TryRead(input, 10, out var head, out var consumed));
        Assert.Null(head);
        Assert.Equal(input.Start, consumed);
    }

    [Fact]
    public void Input_shorter_than_the_limit_without_the_end_of_the_head_needs_more_data()
    {
        Assert.Equal(HttpHeadReadStatus.NeedMoreData, StatusOf("GET / HTTP/1.1\r\nHost: h\r\n", limit: 100));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Non_positive_limit_is_refused(int limit)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            HttpRequestHead.TryRead(ReadOnlySequence<byte>.Empty, limit, out _, out _));
    }
}
