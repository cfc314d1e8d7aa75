using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Wirehub.Protocol;

/// <summary>
/// The header of one WebSocket frame (RFC 6455 §5.2): FIN, RSV1-3, opcode, mask flag, payload length and mask key.
/// Reading does not judge the header; <see cref="FrameRules.Check"/> does.
/// </summary>
public readonly struct FrameHeader
{
    /// <summary>The longest header on the wire: 2 fixed bytes, an 8-byte extended length and a 4-byte mask key.</summary>
    public const int MaxLength = 14;

    private const byte FinBit = 0x80;
    private const byte Rsv1Bit = 0x40;
    private const byte Rsv2Bit = 0x20;
    private const byte Rsv3Bit = 0x10;
    private const byte OpcodeBits = 0x0F;
    private const byte MaskBit = 0x80;
    private const byte LengthBits = 0x7F;

    // §5.2: a 7-bit length of 126 announces a 16-bit length, 127 a 64-bit length.
    private const int Length16Marker = 126;
    private const int Length64Marker = 127;
    private const int MaxLength7 = 125;
    private const int MaxLength16 = ushort.MaxValue;

    // First header byte exactly as on the wire: FIN, RSV1-3 and the raw 4-bit opcode.
    private readonly byte _first;
    private readonly byte _length;
    private readonly bool _masked;
    private readonly int _maskKey;
    private readonly long _payloadLength;

    /// <summary>Creates a header with RSV2 and RSV3 clear.</summary>
    /// <param name="opcode">The frame type; any 4-bit value, including reserved ones.</param>
    /// <param name="fin">True on the final (or only) frame of a message.</param>
    /// <param name="payloadLength">The payload size in bytes, 0 to <see cref="long.MaxValue"/>.</param>
    /// <param name="rsv1">RSV1; permessage-deflate sets it on the first frame of a compressed message (RFC 7692 §6).</param>
    /// <param name="masked">True when the payload is masked with <paramref name="maskKey"/> (client-to-server frames).</param>
    /// <param name="maskKey">The 4 mask bytes in wire order, read as a little-endian int; ignored unless masked.</param>
    /// <exception cref="ArgumentOutOfRangeException">The opcode does not fit in 4 bits or the length is negative.</exception>
    public FrameHeader(Opcode opcode, bool fin, long payloadLength, bool rsv1 = false, bool masked = false, int maskKey = 0)
        : this(opcode, fin, rsv1, rsv2: false, rsv3: false, masked, maskKey, payloadLength)
    {
    }

    /// <summary>Creates a header with every bit chosen, including RSV2 and RSV3.</summary>
    /// <param name="opcode">The frame type; any 4-bit value, including reserved ones.</param>
    /// <param name="fin">True on the final (or only) frame of a message.</param>
    /// <param name="rsv1">RSV1.</param>
    /// <param name="rsv2">RSV2; no extension this library supports defines it.</param>
    /// <param name="rsv3">RSV3; no extension this library supports defines it.</param>
    /// <param name="masked">True when the payload is masked with <paramref name="maskKey"/>.</param>
    /// <param name="maskKey">The 4 mask bytes in wire order, read as a little-endian int; ignored unless masked.</param>
    /// <param name="payloadLength">The payload size in bytes, 0 to <see cref="long.MaxValue"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">The opcode does not fit in 4 bits or the length is negative.</exception>
    public FrameHeader(Opcode opcode, bool fin, bool rsv1, bool rsv2, bool rsv3, bool masked, int maskKey, long payloadLength)
    {
        if ((byte)opcode > OpcodeBits)
        {
            throw new ArgumentOutOfRangeException(nameof(opcode), opcode,
                "An opcode is 4 bits on the wire (RFC 6455 §5.2); pass a value from 0 to 15.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(payloadLength);

        _first = (byte)((fin ? FinBit : 0) | (rsv1 ? Rsv1Bit : 0) | (rsv2 ? Rsv2Bit : 0) | (rsv3 ? Rsv3Bit : 0) | (byte)opcode);
        _masked = masked;
        _maskKey = masked ? maskKey : 0;
        _payloadLength = payloadLength;
        _length = (byte)GetLength(payloadLength, masked);
    }

    private FrameHeader(byte first, bool masked, int maskKey, long payloadLength, int length)
    {
        _first = first;
        _masked = masked;
        _maskKey = maskKey;
        _payloadLength = payloadLength;
        _length = (byte)length;
    }

    /// <summary>The raw 4-bit opcode; it may be a reserved value, which <see cref="FrameRules.Check"/> rejects.</summary>
    public Opcode Opcode => (Opcode)(_first & OpcodeBits);

    /// <summary>True on the final (or only) frame of a message.</summary>
    public bool Fin => (_first & FinBit) != 0;

    /// <summary>RSV1: the "compressed" flag of permessage-deflate (RFC 7692 §6).</summary>
    public bool Rsv1 => (_first & Rsv1Bit) != 0;

    /// <summary>RSV2: reserved for extensions.</summary>
    public bool Rsv2 => (_first & Rsv2Bit) != 0;

    /// <summary>RSV3: reserved for extensions.</summary>
    public bool Rsv3 => (_first & Rsv3Bit) != 0;

    /// <summary>True when the payload is masked with <see cref="MaskKey"/>.</summary>
    public bool Masked => _masked;

    /// <summary>The 4 mask bytes as they appear on the wire, read as a little-endian int; 0 when not masked.</summary>
    public int MaskKey => _maskKey;

    /// <summary>The payload size in bytes.</summary>
    public long PayloadLength => _payloadLength;

    /// <summary>
    /// How many bytes this header takes on the wire (2 to 14). For a header that was read, this is the size actually
    /// received, even if the peer used a longer length encoding than needed.
    /// </summary>
    public int Length => _length;

    /// <summary>The size of a header written for this payload length: minimal length encoding, plus 4 if masked.</summary>
    /// <param name="payloadLength">The payload size in bytes.</param>
    /// <param name="masked">True when a mask key follows the length.</param>
    /// <returns>2 to 14.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The payload length is negative.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int GetLength(long payloadLength, bool masked)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(payloadLength);
        int length = payloadLength <= MaxLength7 ? 2 : payloadLength <= MaxLength16 ? 4 : 10;
        return masked ? length + 4 : length;
    }

    /// <summary>Reads a header from the start of <paramref name="source"/>. Never throws.</summary>
    /// <param name="source">Received bytes starting at a frame boundary; bytes after the header are ignored.</param>
    /// <param name="header">The header when the result is <see cref="FrameReadStatus.Complete"/>; default otherwise.</param>
    /// <returns>
    /// <see cref="FrameReadStatus.Complete"/>, <see cref="FrameReadStatus.NeedMoreData"/> when the bytes end inside
    /// the header, or <see cref="FrameReadStatus.InvalidLength"/> when a 64-bit length has its top bit set.
    /// </returns>
    public static FrameReadStatus TryRead(ReadOnlySpan<byte> source, out FrameHeader header)
    {
        header = default;
        if (source.Length < 2)
        {
            return FrameReadStatus.NeedMoreData;
        }

        byte first = source[0];
        byte second = source[1];
        bool masked = (second & MaskBit) != 0;
        int length7 = second & LengthBits;

        long payloadLength;
        int offset;
        if (length7 <= MaxLength7)
        {
            payloadLength = length7;
            offset = 2;
        }
        else if (length7 == Length16Marker)
        {
            if (source.Length < 4)
            {
                return FrameReadStatus.NeedMoreData;
            }

            payloadLength = BinaryPrimitives.ReadUInt16BigEndian(source.Slice(2));
            offset = 4;
        }
        else
        {
            if (source.Length < 10)
            {
                return FrameReadStatus.NeedMoreData;
            }

            // §5.2: "the most significant bit MUST be 0". Reported as soon as the length is seen, before the mask key.
            ulong length64 = BinaryPrimitives.ReadUInt64BigEndian(source.Slice(2));
            if (length64 > long.MaxValue)
            {
                return FrameReadStatus.InvalidLength;
            }

            payloadLength = (long)length64;
            offset = 10;
        }

        int maskKey = 0;
        if (masked)
        {
            if (source.Length < offset + 4)
            {
                return FrameReadStatus.NeedMoreData;
            }

            maskKey = BinaryPrimitives.ReadInt32LittleEndian(source.Slice(offset));
            offset += 4;
        }

        header = new FrameHeader(first, masked, maskKey, payloadLength, offset);
        return FrameReadStatus.Complete;
    }

    /// <summary>
    /// Reads a header from the start of <paramref name="source"/>. Parses the first segment in place, which succeeds
    /// whenever it holds the whole header (always when it holds <see cref="MaxLength"/> bytes); only a header cut
    /// between segments is first copied, at most 14 bytes, to the stack. Never throws.
    /// </summary>
    /// <param name="source">Received bytes starting at a frame boundary; bytes after the header are ignored.</param>
    /// <param name="header">The header when the result is <see cref="FrameReadStatus.Complete"/>; default otherwise.</param>
    /// <returns>See <see cref="TryRead(ReadOnlySpan{byte}, out FrameHeader)"/>.</returns>
    public static FrameReadStatus TryRead(in ReadOnlySequence<byte> source, out FrameHeader header)
    {
        FrameReadStatus status = TryRead(source.FirstSpan, out header);
        if (status != FrameReadStatus.NeedMoreData || source.IsSingleSegment)
        {
            return status;
        }

        return TryReadSegmented(source, out header);
    }

    private static FrameReadStatus TryReadSegmented(in ReadOnlySequence<byte> source, out FrameHeader header)
    {
        Span<byte> buffer = stackalloc byte[MaxLength];
        int copied = 0;
        foreach (ReadOnlyMemory<byte> segment in source)
        {
            ReadOnlySpan<byte> span = segment.Span;
            int count = Math.Min(span.Length, MaxLength - copied);
            span.Slice(0, count).CopyTo(buffer.Slice(copied));
            copied += count;
            if (copied == MaxLength)
            {
                break;
            }
        }

        return TryRead(buffer.Slice(0, copied), out header);
    }

    /// <summary>
    /// Writes this header with the minimal length encoding (RFC 6455 §5.2), followed by the mask key when
    /// <see cref="Masked"/>. Does not mask the payload; see <see cref="FrameMask.Apply"/>.
    /// </summary>
    /// <param name="destination">Room for <see cref="GetLength"/> bytes; <see cref="MaxLength"/> always suffices.</param>
    /// <returns>The bytes written, equal to <see cref="GetLength"/> for this header's length and mask flag.</returns>
    /// <exception cref="ArgumentException">The destination is too small.</exception>
    public int WriteTo(Span<byte> destination)
    {
        int length = GetLength(_payloadLength, _masked);
        if (destination.Length < length)
        {
            throw new ArgumentException(
                $"The destination holds {destination.Length} bytes but this header needs {length}; "
                + $"give it at least FrameHeader.GetLength(...) or FrameHeader.MaxLength ({MaxLength}) bytes.",
                nameof(destination));
        }

        destination[0] = _first;
        byte maskFlag = _masked ? MaskBit : (byte)0;
        int offset;
        if (_payloadLength <= MaxLength7)
        {
            destination[1] = (byte)(maskFlag | (byte)_payloadLength);
            offset = 2;
        }
        else if (_payloadLength <= MaxLength16)
        {
            destination[1] = (byte)(maskFlag | Length16Marker);
            BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(2), (ushort)_payloadLength);
            offset = 4;
        }
        else
        {
            destination[1] = (byte)(maskFlag | Length64Marker);
            BinaryPrimitives.WriteUInt64BigEndian(destination.Slice(2), (ulong)_payloadLength);
            offset = 10;
        }

        if (_masked)
        {
            BinaryPrimitives.WriteInt32LittleEndian(destination.Slice(offset), _maskKey);
            offset += 4;
        }

        return offset;
    }

    /// <summary>Describes the header for diagnostics, e.g. "Text FIN len=5 masked".</summary>
    /// <returns>A short human-readable description.</returns>
    public override string ToString()
    {
        string opcode = Opcode.IsDefined() ? Opcode.ToString() : $"Reserved({(int)Opcode})";
        return $"{opcode}{(Fin ? " FIN" : "")}{(Rsv1 ? " RSV1" : "")}{(Rsv2 ? " RSV2" : "")}{(Rsv3 ? " RSV3" : "")}"
            + $" len={PayloadLength}{(Masked ? $" masked key=0x{MaskKey:X8}" : "")}";
    }
}
