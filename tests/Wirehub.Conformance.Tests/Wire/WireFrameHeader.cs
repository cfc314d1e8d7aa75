using System.Buffers.Binary;

namespace Wirehub.Conformance.Tests.Wire;

/// <summary>A received frame header exactly as it was on the wire (RFC 6455 §5.2), valid or not.</summary>
internal readonly record struct WireFrameHeader(
    bool Fin,
    int Rsv,
    int Opcode,
    bool Masked,
    uint MaskKey,
    long PayloadLength,
    int Length7,
    int HeaderLength,
    bool UsesMinimalLength)
{
    /// <summary>
    /// Parses a header from the start of <paramref name="buffer"/>; false when more bytes are needed. The 7-bit
    /// length field is kept in <see cref="Length7"/> because control-frame rules are stated on it (RFC 6455 §5.5).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> buffer, out WireFrameHeader header)
    {
        header = default;
        if (buffer.Length < 2) return false;
        byte b0 = buffer[0], b1 = buffer[1];
        bool masked = (b1 & 0x80) != 0;
        int length7 = b1 & 0x7F;
        int extended = length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
        int headerLength = 2 + extended + (masked ? 4 : 0);
        if (buffer.Length < headerLength) return false;

        long length = length7;
        bool minimal = true;
        if (length7 == 126)
        {
            length = BinaryPrimitives.ReadUInt16BigEndian(buffer[2..]);
            minimal = length >= 126;
        }
        else if (length7 == 127)
        {
            ulong raw = BinaryPrimitives.ReadUInt64BigEndian(buffer[2..]);
            // The most significant bit MUST be 0 (RFC 6455 §5.2); such a length is reported as not minimal/invalid.
            length = (long)(raw & 0x7FFF_FFFF_FFFF_FFFF);
            minimal = raw <= 0x7FFF_FFFF_FFFF_FFFF && raw > ushort.MaxValue;
        }
        uint key = masked ? BinaryPrimitives.ReadUInt32BigEndian(buffer[(2 + extended)..]) : 0;
        header = new WireFrameHeader((b0 & 0x80) != 0, (b0 >> 4) & 0x7, b0 & 0xF, masked, key, length, length7, headerLength, minimal);
        return true;
    }

    public void WriteMaskKey(Span<byte> destination) => BinaryPrimitives.WriteUInt32BigEndian(destination, MaskKey);

    public override string ToString() =>
        $"{WireOpcode.Name(Opcode)} fin={(Fin ? 1 : 0)} rsv={Rsv} masked={(Masked ? 1 : 0)} len={PayloadLength}";
}
