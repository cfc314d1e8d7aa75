using Wirehub.Protocol;

namespace Wirehub.Cli.Bench;

/// <summary>
/// A run of identical client frames built and masked once (RFC 6455 §5.3: client frames must be masked), so sending k
/// messages is one send of the first k frames after stamping a few bytes of each.
/// </summary>
internal sealed class MaskedFrameBlock
{
    /// <summary>
    /// One fixed key for every frame: the server still unmasks every byte, and the generator masks only what it stamps.
    /// Its bytes differ, so a server that skipped unmasking would be caught by the checks on echoed bytes.
    /// </summary>
    public const int MaskKey = 0x3C5A_96E1;

    private readonly byte[] _frames;
    private readonly int _headerLength;

    /// <param name="opcode">Text or Binary.</param>
    /// <param name="payload">The payload every frame starts with, before stamping.</param>
    /// <param name="count">How many frames the block holds: the most ever sent in one call.</param>
    public MaskedFrameBlock(Opcode opcode, ReadOnlySpan<byte> payload, int count)
    {
        FrameHeader header = new(opcode, fin: true, payload.Length, masked: true, maskKey: MaskKey);
        _headerLength = header.Length;
        FrameLength = _headerLength + payload.Length;
        Count = count;
        _frames = new byte[FrameLength * count];
        for (int i = 0; i < count; i++)
        {
            Span<byte> frame = _frames.AsSpan(i * FrameLength, FrameLength);
            header.WriteTo(frame);
            Span<byte> masked = frame[_headerLength..];
            payload.CopyTo(masked);
            FrameMask.Apply(masked, MaskKey);
        }
    }

    /// <summary>The bytes of one frame on the wire.</summary>
    public int FrameLength { get; }

    /// <summary>How many frames the block holds.</summary>
    public int Count { get; }

    /// <summary>Overwrites the start of frame <paramref name="index"/>'s payload with <paramref name="plain"/>, masked.</summary>
    public void Stamp(int index, ReadOnlySpan<byte> plain)
    {
        Span<byte> payload = _frames.AsSpan(index * FrameLength + _headerLength, plain.Length);
        plain.CopyTo(payload);
        FrameMask.Apply(payload, MaskKey);
    }

    /// <summary>The first <paramref name="count"/> frames, ready to send.</summary>
    public ReadOnlyMemory<byte> First(int count) => _frames.AsMemory(0, count * FrameLength);
}
