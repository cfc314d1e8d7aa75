using Wirehub.Conformance.Tests.Wire;
using static Wirehub.Conformance.Tests.Catalogue.CaseFactory;

namespace Wirehub.Conformance.Tests.Catalogue;

/// <summary>Section 1, framing: text and binary messages at the payload length encoding boundaries (RFC 6455 §5.2).</summary>
internal static class FramingCases
{
    public static IEnumerable<CaseDefinition> All()
    {
        (int Length, int? Chop)[] sizes = [(0, null), (125, null), (126, null), (127, null), (128, null), (65535, null), (65536, null), (65536, 997)];
        foreach (bool binary in new[] { false, true })
        {
            for (int i = 0; i < sizes.Length; i++)
            {
                var (length, chop) = sizes[i];
                string kind = binary ? "binary" : "text";
                byte[] payload = Filled(binary ? (byte)0xFE : (byte)'*', length);
                yield return Scripted(
                    $"1.{(binary ? 2 : 1)}.{i + 1}",
                    $"Send {kind} message with payload of length {length}{(chop is int c ? $", written to TCP in chops of {c} octets" : "")}.",
                    $"Receive the {kind} message echoed with the payload as sent. Clean close with normal code.",
                    s =>
                    {
                        s.ExpectOk(CaseEvent.Message(payload, binary));
                        s.ExpectedClose = CloseExpectation.CleanCloseByFuzzer;
                        s.Peer.SendFrame(binary ? WireOpcode.Binary : WireOpcode.Text, payload, chopSize: chop);
                        s.Peer.KillAfter(length > 128 ? 10 : 1);
                    });
            }
        }
    }
}
