using System.Buffers.Binary;

namespace Wirehub.Conformance.Tests.Wire;

/// <summary>
/// Writes raw frames byte by byte (RFC 6455 §5.2), including ones that break the rules on purpose: any opcode, any
/// RSV bits, fragmented control frames, oversized control payloads. Lengths always use the minimal encoding.
/// </summary>
internal static class FrameBuilder
{
    public const int MaxHeaderLength = 14;

    public static int HeaderLength(long payloadLength, bool masked) =>
        2 + (payloadLength <= 125 ? 0 : payloadLength <= ushort.MaxValue ? 2 : 8) + (masked ? 4 : 0);

    /// <summary>Writes the header; <paramref name="maskKey"/> empty means an unmasked frame.</summary>
    public static int WriteHeader(Span<byte> destination, bool fin, int rsv, int opcode, long payloadLength, ReadOnlySpan<byte> maskKey)
    {
        destination[0] = (byte)((fin ? 0x80 : 0) | ((rsv & 0x7) << 4) | (opcode & 0xF));
        byte maskBit = maskKey.IsEmpty ? (byte)0 : (byte)0x80;
        int position;
        if (payloadLength <= 125)
        {
            destination[1] = (byte)(maskBit | payloadLength);
            position = 2;
        }
        else if (payloadLength <= ushort.MaxValue)
        {
            destination[1] = (byte)(maskBit | 126);
            BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)payloadLength);
            position = 4;
        }
        else
        {
            destination[1] = (byte)(maskBit | 127);
            BinaryPrimitives.WriteUInt64BigEndian(destination[2..], (ulong)payloadLength);
            position = 10;
        }
        if (!maskKey.IsEmpty)
        {
            maskKey[..4].CopyTo(destination[position..]);
            position += 4;
        }
        return position;
    }

    /// <summary>Writes a whole frame (header, then the payload masked when a key is given); returns the bytes written.</summary>
    public static int Write(Span<byte> destination, bool fin, int rsv, int opcode, ReadOnlySpan<byte> payload, ReadOnlySpan<byte> maskKey)
    {
        int header = WriteHeader(destination, fin, rsv, opcode, payload.Length, maskKey);
        var body = destination.Slice(header, payload.Length);
        payload.CopyTo(body);
        if (!maskKey.IsEmpty) PayloadMasker.Apply(body, maskKey);
        return header + payload.Length;
    }

    public static byte[] Build(int opcode, ReadOnlySpan<byte> payload, bool fin = true, int rsv = 0, bool masked = false)
    {
        var key = masked ? PayloadMasker.NewKey() : [];
        var frame = new byte[HeaderLength(payload.Length, masked) + payload.Length];
        Write(frame, fin, rsv, opcode, payload, key);
        return frame;
    }
}
