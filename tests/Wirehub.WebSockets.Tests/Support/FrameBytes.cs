using System.Buffers.Binary;
using System.Text;
using Wirehub.Protocol;

namespace Wirehub.WebSockets.Tests.Support;

/// <summary>
/// Builds frames byte by byte, independently of the engine's own codec, so tests can put anything on the wire,
/// including frames the rules forbid.
/// </summary>
internal static class FrameBytes
{
    /// <summary>A fixed mask key, so failures are reproducible; its bytes are all distinct and non-zero.</summary>
    public const int DefaultMaskKey = 0x78563412;

    public static byte[] Build(Opcode opcode, ReadOnlySpan<byte> payload, bool masked, bool fin = true, bool rsv1 = false,
        bool rsv2 = false, bool rsv3 = false, int maskKey = DefaultMaskKey)
    {
        var output = new List<byte>(payload.Length + 14)
        {
            (byte)((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | (rsv2 ? 0x20 : 0) | (rsv3 ? 0x10 : 0) | (int)opcode),
        };
        byte maskBit = masked ? (byte)0x80 : (byte)0;
        if (payload.Length <= 125)
        {
            output.Add((byte)(maskBit | payload.Length));
        }
        else if (payload.Length <= ushort.MaxValue)
        {
            output.Add((byte)(maskBit | 126));
            output.Add((byte)(payload.Length >> 8));
            output.Add((byte)payload.Length);
        }
        else
        {
            output.Add((byte)(maskBit | 127));
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteInt64BigEndian(length, payload.Length);
            output.AddRange(length.ToArray());
        }
        Span<byte> key = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(key, maskKey);
        if (masked) output.AddRange(key.ToArray());
        for (int i = 0; i < payload.Length; i++)
            output.Add(masked ? (byte)(payload[i] ^ key[i & 3]) : payload[i]);
        return output.ToArray();
    }

    public static byte[] Text(string text, bool masked, bool fin = true) =>
        Build(Opcode.Text, Encoding.UTF8.GetBytes(text), masked, fin);

    public static byte[] Close(ushort code, string reason, bool masked) => Build(Opcode.Close, ClosePayloadOf(code, reason), masked);

    public static byte[] ClosePayloadOf(ushort code, string reason)
    {
        var reasonBytes = Encoding.UTF8.GetBytes(reason);
        var payload = new byte[2 + reasonBytes.Length];
        BinaryPrimitives.WriteUInt16BigEndian(payload, code);
        reasonBytes.CopyTo(payload, 2);
        return payload;
    }

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
