using System.Buffers.Binary;
using Wirehub.Protocol;

namespace Wirehub.Cli.Bench;

/// <summary>The client's close frame with status 1000, Normal Closure (RFC 6455 §5.5.1, §7.4.1), built once.</summary>
internal static class ClientCloseFrame
{
    private const ushort NormalClosure = 1000;

    public static ReadOnlyMemory<byte> Bytes { get; } = Create();

    private static byte[] Create()
    {
        FrameHeader header = new(Opcode.Close, fin: true, payloadLength: 2, masked: true, maskKey: MaskedFrameBlock.MaskKey);
        byte[] frame = new byte[header.Length + 2];
        header.WriteTo(frame);
        Span<byte> payload = frame.AsSpan(header.Length);
        BinaryPrimitives.WriteUInt16BigEndian(payload, NormalClosure);
        FrameMask.Apply(payload, MaskedFrameBlock.MaskKey);
        return frame;
    }
}
