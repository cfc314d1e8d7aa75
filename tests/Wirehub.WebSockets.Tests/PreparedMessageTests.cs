using System.IO.Pipelines;
using Wirehub.Protocol;
using Wirehub.WebSockets.Tests.Support;

namespace Wirehub.WebSockets.Tests;

/// <summary>Messages framed once and sent to many connections.</summary>
public class PreparedMessageTests
{
    [Fact]
    public async Task Prepared_message_writes_identical_bytes_to_every_server_connection()
    {
        var peers = Enumerable.Range(0, 5).Select(_ => RawPeer.Create(WebSocketRole.Server)).ToArray();
        var message = PreparedMessage.CreateText("broadcast to all");
        try
        {
            foreach (var peer in peers) await peer.Connection.SendAsync(message);
            var wires = new List<byte[]>();
            foreach (var peer in peers) wires.Add((await peer.ReadFrameAsync()).Wire);

            Assert.All(wires, wire => Assert.Equal(FrameBytes.Text("broadcast to all", masked: false), wire));
        }
        finally
        {
            foreach (var peer in peers) await peer.DisposeAsync();
        }
    }

    [Fact]
    public async Task Prepared_message_queued_behind_a_busy_transport_arrives_unchanged()
    {
        var stalled = new PipeOptions(pauseWriterThreshold: 4096, resumeWriterThreshold: 2048, useSynchronizationContext: false);
        await using var peer = RawPeer.Create(WebSocketRole.Server, fromEngine: stalled);
        var message = PreparedMessage.Create(MessageType.Binary, Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray());

        await peer.Connection.SendAsync(new byte[8000], MessageType.Binary);
        await peer.Connection.SendAsync(message);
        await peer.Connection.SendAsync(message);
        await peer.ReadFrameAsync();

        Assert.Equal(message.Payload.ToArray(), (await peer.ReadFrameAsync()).Payload);
        Assert.Equal(message.Payload.ToArray(), (await peer.ReadFrameAsync()).Payload);
    }

    [Fact]
    public async Task Client_connection_masks_a_prepared_message_itself()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Client);

        await peer.Connection.SendAsync(PreparedMessage.CreateText("from a client"));
        var frame = await peer.ReadFrameAsync();

        Assert.True(frame.Masked);
        Assert.Equal(Opcode.Text, frame.Opcode);
        Assert.Equal("from a client", frame.Text);
    }

    [Fact]
    public void Prepared_text_that_is_not_utf8_is_refused()
    {
        Assert.Throws<ArgumentException>(() => PreparedMessage.Create(MessageType.Text, [0xC3, 0x28]));
    }

    [Fact]
    public async Task Prepared_message_in_the_middle_of_a_fragmented_send_is_refused()
    {
        await using var peer = RawPeer.Create(WebSocketRole.Server);
        await peer.Connection.SendAsync(RawPeer.Utf8("part"), MessageType.Text, endOfMessage: false);

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await peer.Connection.SendAsync(PreparedMessage.CreateText("whole")));
    }
}
