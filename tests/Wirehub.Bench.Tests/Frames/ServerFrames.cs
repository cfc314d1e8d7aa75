using Wirehub.Protocol;

namespace Wirehub.Bench.Tests.Frames;

/// <summary>Unmasked frames as a server sends them (RFC 6455 §5.1), written with the protocol library.</summary>
internal static class ServerFrames
{
    public static byte[] Frame(Opcode opcode, byte[] payload, bool fin = true)
    {
        FrameHeader header = new(opcode, fin, payload.Length);
        byte[] frame = new byte[header.Length + payload.Length];
        header.WriteTo(frame);
        payload.CopyTo(frame, header.Length);
        return frame;
    }

    public static byte[] Text(string text, bool fin = true) => Frame(Opcode.Text, System.Text.Encoding.ASCII.GetBytes(text), fin);

    public static byte[] Concat(params byte[][] frames) => [.. frames.SelectMany(f => f)];

    public static byte[] Payload(int length, byte seed = 0) =>
        [.. Enumerable.Range(0, length).Select(i => (byte)(seed + i))];
}
