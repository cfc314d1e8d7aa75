using System.Text;

namespace Wirehub.Interop.Tests.Wire;

/// <summary>
/// One frame as it crossed the wire: its header bits, payload length, and, for control frames, the unmasked payload
/// (data payloads are not kept: they may be megabytes).
/// </summary>
internal sealed record TappedFrame(int Opcode, bool Fin, bool Rsv1, bool Masked, long PayloadLength, byte[] ControlPayload)
{
    public const int Continuation = 0x0;
    public const int Text = 0x1;
    public const int Binary = 0x2;
    public const int Close = 0x8;
    public const int Ping = 0x9;
    public const int Pong = 0xA;

    public string ControlText => Encoding.UTF8.GetString(ControlPayload);

    public override string ToString() =>
        $"opcode {Opcode:X} fin={Fin} rsv1={Rsv1} masked={Masked} length={PayloadLength}" + (Opcode >= 8 ? $" payload \"{ControlText}\"" : "");
}
