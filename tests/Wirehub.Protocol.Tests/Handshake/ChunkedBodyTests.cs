using System.Buffers;
using System.Text;

namespace Wirehub.Protocol.Tests.Handshake;

public sealed class ChunkedBodyTests
{
    private static (HttpHeadReadStatus Status, string Body) Decode(string wire, int max = 1024)
    {
        var status = ChunkedBody.TryDecode(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(wire)), max, out var body);
        return (status, Encoding.UTF8.GetString(body));
    }

    [Fact]
    public void Chunks_are_joined_up_to_the_last_chunk()
    {
        Assert.Equal((HttpHeadReadStatus.Complete, "Origin not allowed\n"), Decode("7\r\nOrigin \r\nc\r\nnot allowed\n\r\n0\r\n\r\n"));
    }

    [Fact]
    public void Chunk_extensions_are_skipped()
    {
        Assert.Equal((HttpHeadReadStatus.Complete, "abc"), Decode("3;name=value\r\nabc\r\n0\r\n\r\n"));
    }

    [Fact]
    public void Uppercase_hex_sizes_are_read()
    {
        Assert.Equal((HttpHeadReadStatus.Complete, new string('x', 26)), Decode($"1A\r\n{new string('x', 26)}\r\n0\r\n\r\n"));
    }

    [Fact]
    public void Input_ending_inside_a_chunk_needs_more_data_and_keeps_what_was_decoded()
    {
        Assert.Equal((HttpHeadReadStatus.NeedMoreData, "ab"), Decode("5\r\nab"));
    }

    [Fact]
    public void Input_ending_inside_a_size_line_needs_more_data()
    {
        Assert.Equal((HttpHeadReadStatus.NeedMoreData, "abc"), Decode("3\r\nabc\r\n1"));
    }

    [Fact]
    public void Decoding_stops_at_the_body_limit()
    {
        Assert.Equal((HttpHeadReadStatus.Complete, "abcd"), Decode("a\r\nabcdefghij\r\n0\r\n\r\n", max: 4));
    }

    [Theory]
    [InlineData("zz\r\nabc\r\n0\r\n\r\n")]
    [InlineData("\r\nabc\r\n")]
    [InlineData("3\r\nabcX\r\n0\r\n\r\n")]
    [InlineData("1234567890123456\r\n")]
    public void Invalid_chunk_framing_is_malformed(string wire)
    {
        Assert.Equal(HttpHeadReadStatus.Malformed, Decode(wire).Status);
    }

    [Fact]
    public void A_size_line_that_never_ends_is_malformed()
    {
        Assert.Equal(HttpHeadReadStatus.Malformed, Decode(new string('1', 40)).Status);
    }
}
