using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Wirehub.Cli.Bench;
using Wirehub.Protocol;

namespace Wirehub.Bench.Tests.Frames;

public class ReceivedMessageScannerTests
{
    private sealed record Message(Opcode Opcode, long Length, byte[] Prefix);

    // Reads every message from one buffer.
    private static List<Message> ReadAll(ReceivedMessageScanner scanner, ReadOnlySpan<byte> data, out int left)
    {
        List<Message> messages = [];
        while (scanner.TryRead(ref data, out Opcode opcode, out long length, out ReadOnlySpan<byte> prefix))
        {
            messages.Add(new Message(opcode, length, prefix.ToArray()));
        }

        left = data.Length;
        return messages;
    }

    // Feeds the stream in chunks the way a connection does: unread bytes are carried to the front of the next buffer.
    private static List<Message> ReadInChunks(byte[] stream, IEnumerable<int> cuts, int prefixLength)
    {
        ReceivedMessageScanner scanner = new(prefixLength);
        List<Message> messages = [];
        byte[] carry = [];
        int start = 0;
        foreach (int cut in cuts.Append(stream.Length))
        {
            byte[] buffer = [.. carry, .. stream[start..cut]];
            ReadOnlySpan<byte> data = buffer;
            while (scanner.TryRead(ref data, out Opcode opcode, out long length, out ReadOnlySpan<byte> prefix))
            {
                messages.Add(new Message(opcode, length, prefix.ToArray()));
            }

            carry = data.ToArray();
            start = cut;
        }

        Assert.Empty(carry);
        return messages;
    }

    [Fact]
    public void Text_message_is_read_with_its_length_and_first_bytes()
    {
        ReceivedMessageScanner scanner = new(prefixLength: 4);

        List<Message> messages = ReadAll(scanner, ServerFrames.Text("hello"), out int left);

        Message message = Assert.Single(messages);
        Assert.Equal(Opcode.Text, message.Opcode);
        Assert.Equal(5, message.Length);
        Assert.Equal("hell"u8.ToArray(), message.Prefix);
        Assert.Equal(0, left);
    }

    [Fact]
    public void Prefix_of_a_short_message_is_the_whole_payload()
    {
        List<Message> messages = ReadAll(new ReceivedMessageScanner(prefixLength: 16), ServerFrames.Text("ab"), out _);

        Assert.Equal("ab"u8.ToArray(), Assert.Single(messages).Prefix);
    }

    [Fact]
    public void Several_messages_in_one_receive_are_read_in_order()
    {
        byte[] data = ServerFrames.Concat(ServerFrames.Text("one"), ServerFrames.Frame(Opcode.Binary, [1, 2]), ServerFrames.Text("three"));

        List<Message> messages = ReadAll(new ReceivedMessageScanner(prefixLength: 8), data, out _);

        Assert.Equal([Opcode.Text, Opcode.Binary, Opcode.Text], messages.Select(m => m.Opcode));
        Assert.Equal([3L, 2L, 5L], messages.Select(m => m.Length));
    }

    [Fact]
    public void Partial_header_is_left_for_the_next_receive()
    {
        byte[] frame = ServerFrames.Frame(Opcode.Binary, ServerFrames.Payload(300));
        ReceivedMessageScanner scanner = new(prefixLength: 8);

        List<Message> messages = ReadAll(scanner, frame.AsSpan(0, 3), out int left);

        Assert.Empty(messages);
        Assert.Equal(3, left);
        Assert.True(scanner.AtFrameBoundary);
    }

    [Fact]
    public void Payload_running_past_the_receive_is_skipped_and_the_message_reported_once_complete()
    {
        byte[] payload = ServerFrames.Payload(1000, seed: 7);
        byte[] frame = ServerFrames.Frame(Opcode.Binary, payload);
        ReceivedMessageScanner scanner = new(prefixLength: 8);

        List<Message> first = ReadAll(scanner, frame.AsSpan(0, 6), out int left);
        Assert.Empty(first);
        Assert.Equal(0, left);
        Assert.False(scanner.AtFrameBoundary);

        List<Message> rest = ReadAll(scanner, frame.AsSpan(6), out _);
        Message message = Assert.Single(rest);
        Assert.Equal(1000, message.Length);
        Assert.Equal(payload[..8], message.Prefix);
    }

    [Fact]
    public void Fragmented_message_is_reported_whole_with_its_first_opcode_and_first_bytes()
    {
        byte[] data = ServerFrames.Concat(
            ServerFrames.Text("abc", fin: false),
            ServerFrames.Frame(Opcode.Continuation, "defg"u8.ToArray(), fin: false),
            ServerFrames.Frame(Opcode.Continuation, "h"u8.ToArray()));

        Message message = Assert.Single(ReadAll(new ReceivedMessageScanner(prefixLength: 4), data, out _));

        Assert.Equal(Opcode.Text, message.Opcode);
        Assert.Equal(8, message.Length);
        Assert.Equal("abc"u8.ToArray(), message.Prefix);
    }

    [Fact]
    public void Control_frame_between_fragments_is_reported_on_its_own_first()
    {
        byte[] data = ServerFrames.Concat(
            ServerFrames.Text("ab", fin: false),
            ServerFrames.Frame(Opcode.Ping, [9]),
            ServerFrames.Frame(Opcode.Continuation, "cd"u8.ToArray()));

        List<Message> messages = ReadAll(new ReceivedMessageScanner(prefixLength: 4), data, out _);

        Assert.Equal([Opcode.Ping, Opcode.Text], messages.Select(m => m.Opcode));
        Assert.Equal([1L, 4L], messages.Select(m => m.Length));
        Assert.Equal("ab"u8.ToArray(), messages[1].Prefix);
    }

    [Fact]
    public void Continuation_outside_a_message_fails_as_a_protocol_error()
    {
        byte[] data = ServerFrames.Frame(Opcode.Continuation, [1]);

        BenchFailure failure = Assert.Throws<BenchFailure>(() => ReadAll(new ReceivedMessageScanner(4), data, out _));

        Assert.Equal(BenchErrorKind.Protocol, failure.Kind);
        Assert.Contains("§5.4", failure.Message);
    }

    [Fact]
    public void Length_with_its_top_bit_set_fails_as_a_protocol_error()
    {
        byte[] data = [0x82, 127, 0x80, 0, 0, 0, 0, 0, 0, 0];

        BenchFailure failure = Assert.Throws<BenchFailure>(() => ReadAll(new ReceivedMessageScanner(4), data, out _));

        Assert.Equal(BenchErrorKind.Protocol, failure.Kind);
        Assert.Contains("§5.2", failure.Message);
    }

    [Fact]
    public void Reset_forgets_a_frame_in_progress()
    {
        ReceivedMessageScanner scanner = new(prefixLength: 4);
        ReadAll(scanner, ServerFrames.Frame(Opcode.Binary, ServerFrames.Payload(500)).AsSpan(0, 10), out _);

        scanner.Reset();

        Assert.True(scanner.AtFrameBoundary);
        Assert.Equal("next"u8.ToArray(), Assert.Single(ReadAll(scanner, ServerFrames.Text("next"), out _)).Prefix);
    }

    public static class Streams
    {
        private static Gen<byte[]> Frames() =>
            from kind in Gen.Choose(0, 3)
            from length in Gen.OneOf(Gen.Choose(0, 20), Gen.Choose(120, 300), Gen.Elements(125, 126, 65_535, 65_536))
            from seed in Gen.Choose(0, 255)
            select kind switch
            {
                0 => ServerFrames.Frame(Opcode.Text, ServerFrames.Payload(length, (byte)seed)),
                1 => ServerFrames.Frame(Opcode.Binary, ServerFrames.Payload(length, (byte)seed)),
                2 => ServerFrames.Frame(Opcode.Ping, ServerFrames.Payload(Math.Min(length, 125), (byte)seed)),
                _ => ServerFrames.Concat(
                    ServerFrames.Frame(Opcode.Binary, ServerFrames.Payload(length, (byte)seed), fin: false),
                    ServerFrames.Frame(Opcode.Continuation, ServerFrames.Payload(7, (byte)seed))),
            };

        public static Arbitrary<(byte[] Stream, int[] Cuts)> SplitStreams() =>
            (from frames in Gen.ListOf(Frames()).Select(f => f.Take(12).ToArray())
             let stream = ServerFrames.Concat([.. frames])
             from cuts in Gen.ArrayOf(Gen.Choose(0, Math.Max(stream.Length, 1)))
             select (stream, cuts.Where(c => c <= stream.Length).Order().ToArray()))
            .ToArbitrary();
    }

    [Property(Arbitrary = [typeof(Streams)], MaxTest = 200)]
    public void Messages_are_the_same_however_the_stream_is_split_across_receives((byte[] Stream, int[] Cuts) input)
    {
        List<Message> whole = ReadInChunks(input.Stream, [], prefixLength: 5);

        List<Message> split = ReadInChunks(input.Stream, input.Cuts, prefixLength: 5);

        Assert.Equal(whole.Select(m => (m.Opcode, m.Length, Convert.ToHexString(m.Prefix))),
            split.Select(m => (m.Opcode, m.Length, Convert.ToHexString(m.Prefix))));
    }
}
