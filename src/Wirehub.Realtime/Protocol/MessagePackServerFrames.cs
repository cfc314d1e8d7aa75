using System.Runtime.CompilerServices;
using Wirehub.WebSockets;

namespace Wirehub.Realtime.Protocol;

/// <summary>
/// Server frames for <c>wirehub.v1.msgpack</c> connections: each is the JSON frame <see cref="ServerFrameWriter"/>
/// wrote, converted to the MessagePack map with the same keys. A push shared by many connections is converted once,
/// by the first MessagePack connection it goes to, and the binary frame is kept beside the JSON one for as long as that
/// lives: a fan-out frames each message at most once per encoding, never once per subscriber.
/// </summary>
internal static class MessagePackServerFrames
{
    [ThreadStatic] private static PooledBufferWriter? t_buffer;

    // Keyed by the JSON push itself, so a binary push lives exactly as long as its JSON push (a message's lives with
    // the message in history) and nothing needs removing.
    private static readonly ConditionalWeakTable<PreparedMessage, PreparedMessage> s_pushes = new();

    /// <summary>The binary form of a frame made for one connection; <paramref name="json"/> is returned to its pool.</summary>
    public static PooledFrame Convert(PooledFrame json)
    {
        using (json)
        {
            var buffer = Transcode(json.Memory.Span);
            return buffer.Detach();
        }
    }

    /// <summary>The binary form of a push shared by many connections, converted on first use.</summary>
    public static PreparedMessage Convert(PreparedMessage json) =>
        s_pushes.TryGetValue(json, out var binary) ? binary : s_pushes.GetValue(json, static push => Prepare(push));

    private static PreparedMessage Prepare(PreparedMessage json)
    {
        var buffer = Transcode(json.Payload.Span);
        var prepared = PreparedMessage.Create(MessageType.Binary, buffer.WrittenSpan);
        buffer.Reset();
        return prepared;
    }

    private static PooledBufferWriter Transcode(ReadOnlySpan<byte> json)
    {
        var buffer = t_buffer ??= new PooledBufferWriter();
        buffer.Reset();
        JsonToMessagePackTranscoder.Transcode(json, buffer);
        return buffer;
    }
}
