using System.Buffers.Binary;
using System.Text;
using Wirehub.Protocol;

namespace Wirehub.WebSockets.Tests.Support;

/// <summary>One frame as the engine wrote it: header bits as on the wire, payload already unmasked.</summary>
internal sealed record ReceivedFrame(Opcode Opcode, bool Fin, bool Rsv1, bool Rsv2, bool Rsv3, bool Masked, byte[] Payload, byte[] Wire)
{
    public ushort CloseCode => Payload.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(Payload) : (ushort)0;

    public string CloseReason => Payload.Length > 2 ? Encoding.UTF8.GetString(Payload.AsSpan(2)) : "";

    public string Text => Encoding.UTF8.GetString(Payload);

    public override string ToString() => $"{Opcode} fin={Fin} rsv1={Rsv1} masked={Masked} length={Payload.Length}";
}
