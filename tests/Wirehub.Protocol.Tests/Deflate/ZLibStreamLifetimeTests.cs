using System.Buffers;
using Wirehub.Protocol;

namespace Wirehub.Protocol.Tests.Deflate;

/// <summary>
/// zlib memory is taken only when needed, directions without context takeover hold none between messages, and
/// misuse of a connection's state is refused rather than corrupting native memory.
/// </summary>
public sealed class ZLibStreamLifetimeTests
{
    private static readonly byte[] Hello = "Hello"u8.ToArray();

    private static PerMessageDeflate Server(bool serverNoContextTakeover = false, bool clientNoContextTakeover = false) =>
        new(DeflateLink.Parameters(serverNoContextTakeover: serverNoContextTakeover,
            clientNoContextTakeover: clientNoContextTakeover), WebSocketRole.Server, new PerMessageDeflateOptions());

    [Fact]
    public void New_connection_holds_no_zlib_memory()
    {
        using PerMessageDeflate server = Server();

        Assert.False(server.HoldsDeflater);
        Assert.False(server.HoldsInflater);
    }

    [Fact]
    public void Sending_with_context_takeover_keeps_a_deflater_between_messages()
    {
        using PerMessageDeflate server = Server();

        DeflateLink.Compress(server, Hello);

        Assert.True(server.HoldsDeflater);
    }

    [Fact]
    public void Sending_without_context_takeover_holds_no_deflater_between_messages()
    {
        using PerMessageDeflate server = Server(serverNoContextTakeover: true);

        DeflateLink.Compress(server, Hello);

        Assert.False(server.HoldsDeflater);
    }

    [Fact]
    public void Sending_a_fragmented_message_without_context_takeover_holds_a_deflater_until_its_end()
    {
        using PerMessageDeflate server = Server(serverNoContextTakeover: true);
        var output = new ArrayBufferWriter<byte>();

        server.Compress(Hello, endOfMessage: false, output);
        bool heldMidMessage = server.HoldsDeflater;
        server.Compress(Hello, endOfMessage: true, output);

        Assert.True(heldMidMessage);
        Assert.False(server.HoldsDeflater);
    }

    [Fact]
    public void Receiving_with_context_takeover_keeps_an_inflater_between_messages()
    {
        using PerMessageDeflate server = Server();

        DeflateLink.Decompress(server, [0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00]);

        Assert.True(server.HoldsInflater);
    }

    [Fact]
    public void Receiving_without_peer_context_takeover_holds_no_inflater_between_messages()
    {
        using PerMessageDeflate server = Server(clientNoContextTakeover: true);

        DeflateLink.Decompress(server, [0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00]);

        Assert.False(server.HoldsInflater);
    }

    [Fact]
    public void Messages_without_context_takeover_compress_independently()
    {
        using PerMessageDeflate server = Server(serverNoContextTakeover: true);

        byte[] first = DeflateLink.Compress(server, Hello);
        byte[] second = DeflateLink.Compress(server, Hello);

        Assert.Equal(new byte[] { 0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00 }, first);
        Assert.Equal(first, second);
    }

    [Fact]
    public void Server_sends_with_server_parameters_and_client_with_client_parameters()
    {
        var agreed = DeflateLink.Parameters(serverNoContextTakeover: true, clientNoContextTakeover: false);
        using var server = new PerMessageDeflate(agreed, WebSocketRole.Server, new PerMessageDeflateOptions());
        using var client = new PerMessageDeflate(agreed, WebSocketRole.Client, new PerMessageDeflateOptions());

        DeflateLink.Compress(server, Hello);
        DeflateLink.Compress(client, Hello);

        Assert.False(server.HoldsDeflater);
        Assert.True(client.HoldsDeflater);
    }

    [Fact]
    public void Dispose_frees_the_zlib_memory()
    {
        PerMessageDeflate server = Server();
        DeflateLink.Compress(server, Hello);
        DeflateLink.Decompress(server, [0x00]);

        server.Dispose();

        Assert.False(server.HoldsDeflater);
        Assert.False(server.HoldsInflater);
    }

    [Fact]
    public void Compress_after_dispose_is_refused()
    {
        PerMessageDeflate server = Server();
        server.Dispose();

        Assert.Throws<ObjectDisposedException>(() => DeflateLink.Compress(server, Hello));
    }

    [Fact]
    public void Decompress_after_dispose_is_refused()
    {
        PerMessageDeflate server = Server();
        server.Dispose();

        Assert.Throws<ObjectDisposedException>(() => DeflateLink.Decompress(server, [0x00]));
    }

    [Fact]
    public void Dispose_twice_is_harmless()
    {
        PerMessageDeflate server = Server();
        server.Dispose();

        server.Dispose();

        Assert.False(server.HoldsDeflater);
    }

    [Fact]
    public void Overlapping_compress_calls_are_refused()
    {
        using PerMessageDeflate server = Server();
        var output = new ReentrantWriter(() => server.Compress(Hello, true, new ArrayBufferWriter<byte>()));

        server.Compress(Hello, endOfMessage: true, output);

        Assert.IsType<InvalidOperationException>(output.Failure);
    }

    [Fact]
    public void Dispose_during_compress_frees_the_deflater_when_the_call_ends()
    {
        using PerMessageDeflate server = Server();
        bool heldDuringCall = false;
        var output = new ReentrantWriter(() =>
        {
            server.Dispose();
            heldDuringCall = server.HoldsDeflater;
        });

        server.Compress(Hello, endOfMessage: true, output);

        Assert.True(heldDuringCall);
        Assert.False(server.HoldsDeflater);
        Assert.Throws<ObjectDisposedException>(() => DeflateLink.Compress(server, Hello));
    }

    /// <summary>An output that runs an action the first time it is asked for space, in the middle of Compress.</summary>
    private sealed class ReentrantWriter(Action action) : IBufferWriter<byte>
    {
        private readonly ArrayBufferWriter<byte> _inner = new();
        private bool _ran;

        public Exception? Failure { get; private set; }

        public void Advance(int count) => _inner.Advance(count);

        public Memory<byte> GetMemory(int sizeHint = 0) => _inner.GetMemory(sizeHint);

        public Span<byte> GetSpan(int sizeHint = 0)
        {
            if (!_ran)
            {
                _ran = true;
                try
                {
                    action();
                }
                catch (Exception failure)
                {
                    Failure = failure;
                }
            }

            return _inner.GetSpan(sizeHint);
        }
    }
}
