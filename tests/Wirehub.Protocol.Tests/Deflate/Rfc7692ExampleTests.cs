using System.Buffers;
using System.Text;
using Wirehub.Protocol;

namespace Wirehub.Protocol.Tests.Deflate;

/// <summary>The worked examples of RFC 7692 §7.2.3.</summary>
public sealed class Rfc7692ExampleTests
{
    private static readonly byte[] Hello = "Hello"u8.ToArray();

    private static PerMessageDeflate Create(WebSocketRole role, int level = 1) =>
        new(DeflateLink.Parameters(), role, new PerMessageDeflateOptions { CompressionLevel = level });

    [Fact]
    public void Hello_compresses_to_the_rfc_bytes()
    {
        using PerMessageDeflate server = Create(WebSocketRole.Server);

        Assert.Equal(new byte[] { 0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00 }, DeflateLink.Compress(server, Hello));
    }

    [Fact]
    public void Rfc_hello_bytes_inflate_to_hello()
    {
        using PerMessageDeflate client = Create(WebSocketRole.Client);

        var (status, message) = DeflateLink.Decompress(client, [0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00]);

        Assert.Equal(InflateStatus.Ok, status);
        Assert.Equal(Hello, message);
    }

    [Fact]
    public void Second_hello_with_shared_window_compresses_to_the_rfc_bytes()
    {
        using PerMessageDeflate server = Create(WebSocketRole.Server);
        DeflateLink.Compress(server, Hello);

        Assert.Equal(new byte[] { 0xf2, 0x00, 0x11, 0x00, 0x00 }, DeflateLink.Compress(server, Hello));
    }

    [Fact]
    public void Second_hello_with_shared_window_inflates_from_the_rfc_bytes()
    {
        using PerMessageDeflate client = Create(WebSocketRole.Client);
        DeflateLink.Decompress(client, [0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00]);

        var (status, message) = DeflateLink.Decompress(client, [0xf2, 0x00, 0x11, 0x00, 0x00]);

        Assert.Equal(InflateStatus.Ok, status);
        Assert.Equal(Hello, message);
    }

    [Fact]
    public void Block_with_no_compression_inflates_to_hello()
    {
        using PerMessageDeflate client = Create(WebSocketRole.Client);

        var (status, message) = DeflateLink.Decompress(client,
            [0x00, 0x05, 0x00, 0xfa, 0xff, 0x48, 0x65, 0x6c, 0x6c, 0x6f, 0x00]);

        Assert.Equal(InflateStatus.Ok, status);
        Assert.Equal(Hello, message);
    }

    [Fact]
    public void Level_0_produces_the_rfc_block_with_no_compression()
    {
        using PerMessageDeflate server = Create(WebSocketRole.Server, level: 0);

        Assert.Equal(new byte[] { 0x00, 0x05, 0x00, 0xfa, 0xff, 0x48, 0x65, 0x6c, 0x6c, 0x6f, 0x00 },
            DeflateLink.Compress(server, Hello));
    }

    [Fact]
    public void Block_with_bfinal_set_inflates_to_hello()
    {
        using PerMessageDeflate client = Create(WebSocketRole.Client);

        var (status, message) = DeflateLink.Decompress(client, [0xf3, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00, 0x00]);

        Assert.Equal(InflateStatus.Ok, status);
        Assert.Equal(Hello, message);
    }

    [Fact]
    public void Message_after_a_bfinal_block_still_inflates_with_the_shared_window()
    {
        using PerMessageDeflate client = Create(WebSocketRole.Client);
        DeflateLink.Decompress(client, [0xf3, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00, 0x00]);

        var (status, message) = DeflateLink.Decompress(client, [0xf2, 0x00, 0x11, 0x00, 0x00]);

        Assert.Equal(InflateStatus.Ok, status);
        Assert.Equal(Hello, message);
    }

    [Fact]
    public void Two_deflate_blocks_in_one_message_inflate_to_hello()
    {
        using PerMessageDeflate client = Create(WebSocketRole.Client);

        var (status, message) = DeflateLink.Decompress(client,
            [0xf2, 0x48, 0x05, 0x00, 0x00, 0x00, 0xff, 0xff, 0xca, 0xc9, 0xc9, 0x07, 0x00]);

        Assert.Equal(InflateStatus.Ok, status);
        Assert.Equal(Hello, message);
    }

    [Fact]
    public void Lone_zero_byte_inflates_to_an_empty_message()
    {
        using PerMessageDeflate client = Create(WebSocketRole.Client);

        var (status, message) = DeflateLink.Decompress(client, [0x00]);

        Assert.Equal(InflateStatus.Ok, status);
        Assert.Empty(message);
    }

    [Fact]
    public void Empty_message_compresses_to_a_lone_zero_byte()
    {
        using PerMessageDeflate server = Create(WebSocketRole.Server);

        Assert.Equal(new byte[] { 0x00 }, DeflateLink.Compress(server, []));
    }

    [Fact]
    public void Hello_split_into_fragments_inflates_from_the_rfc_bytes()
    {
        // RFC 7692 §7.2.3.1: the compressed "Hello" may be carried in two fragments.
        using PerMessageDeflate client = Create(WebSocketRole.Client);
        var output = new ArrayBufferWriter<byte>();

        Assert.Equal(InflateStatus.Ok, client.Decompress([0xf2, 0x48, 0xcd], false, output, long.MaxValue));
        Assert.Equal(InflateStatus.Ok, client.Decompress([0xc9, 0xc9, 0x07, 0x00], true, output, long.MaxValue));
        Assert.Equal("Hello", Encoding.ASCII.GetString(output.WrittenSpan));
    }
}
