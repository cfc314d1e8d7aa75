using System.Buffers;
using System.Buffers.Binary;
using Wirehub.Protocol;

namespace Wirehub.WebSockets.Tests.Support;

/// <summary>Parses frames written by the engine, by hand, without the engine's codec.</summary>
internal static class WireFrameParser
{
    /// <summary>Reads one whole frame from the start of <paramref name="buffer"/>; false when more bytes are needed.</summary>
    public static bool TryParse(ref ReadOnlySequence<byte> buffer, out ReceivedFrame frame)
    {
        frame = null!;
        if (buffer.Length < 2) return false;
        Span<byte> head = stackalloc byte[14];
        int available = (int)Math.Min(14, buffer.Length);
        buffer.Slice(0, available).CopyTo(head);
        bool masked = (head[1] & 0x80) != 0;
        int length7 = head[1] & 0x7F;
        int headerLength = 2 + (length7 == 126 ? 2 : length7 == 127 ? 8 : 0) + (masked ? 4 : 0);
        if (available < headerLength) return false;
        long payloadLength = length7 switch
        {
            126 => BinaryPrimitives.ReadUInt16BigEndian(head[2..]),
            127 => BinaryPrimitives.ReadInt64BigEndian(head[2..]),
            _ => length7,
        };
        if (buffer.Length < headerLength + payloadLength) return false;
        var wire = buffer.Slice(0, headerLength + payloadLength).ToArray();
        var payload = wire.AsSpan(headerLength).ToArray();
        if (masked)
        {
            var key = wire.AsSpan(headerLength - 4, 4);
            for (int i = 0; i < payload.Length; i++) payload[i] ^= key[i & 3];
        }
        frame = new ReceivedFrame((Opcode)(head[0] & 0x0F), Fin: (head[0] & 0x80) != 0, Rsv1: (head[0] & 0x40) != 0,
            Rsv2: (head[0] & 0x20) != 0, Rsv3: (head[0] & 0x10) != 0, masked, payload, wire);
        buffer = buffer.Slice(headerLength + payloadLength);
        return true;
    }
}
