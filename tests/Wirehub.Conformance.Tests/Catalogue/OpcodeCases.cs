using Wirehub.Conformance.Tests.Wire;
using static Wirehub.Conformance.Tests.Catalogue.CaseFactory;

namespace Wirehub.Conformance.Tests.Catalogue;

/// <summary>Section 4, opcodes: reserved non-control (3-7) and control (11-15) opcodes fail the connection with 1002 (RFC 6455 §5.2).</summary>
internal static class OpcodeCases
{
    public static IEnumerable<CaseDefinition> All()
    {
        foreach (var (subsection, first, kind) in new[] { (1, 3, "non-control"), (2, 11, "control") })
        {
            int o = first;
            yield return Alone($"4.{subsection}.1", $"Send frame with reserved {kind} opcode = {o}.", o, []);
            yield return Alone($"4.{subsection}.2", $"Send frame with reserved {kind} opcode = {o + 1} and non-empty payload.", o + 1, Utf8("reserved opcode payload"));
            yield return AfterMessage($"4.{subsection}.3", $"Send small text message, then send frame with reserved {kind} opcode = {o + 2}, then send ping.", o + 2, withPayload: false, chop: null);
            yield return AfterMessage($"4.{subsection}.4", $"Send small text message, then send frame with reserved {kind} opcode = {o + 3} and non-empty payload, then send ping.", o + 3, withPayload: true, chop: null);
            yield return AfterMessage($"4.{subsection}.5", $"Send small text message, then send frame with reserved {kind} opcode = {o + 4} and non-empty payload, then send ping, all written octet by octet.", o + 4, withPayload: true, chop: 1);
        }
    }

    private static CaseDefinition Alone(string id, string description, int opcode, byte[] payload) =>
        Scripted(id, description, "The connection is failed immediately (1002/protocol error).", s =>
        {
            s.ExpectOk();
            s.ExpectedClose = CloseExpectation.PeerFailsWithProtocolError;
            s.Peer.SendFrame(opcode, payload);
            s.Peer.KillAfter(1);
        });

    private static CaseDefinition AfterMessage(string id, string description, int opcode, bool withPayload, int? chop) =>
        Scripted(id, description, "The echo of the first message is received, then the connection is failed immediately (1002). The pong is not received.", s =>
        {
            var hello = Utf8("Hello, world!");
            s.ExpectOk(CaseEvent.Message(hello, binary: false));
            s.Expect(CaseBehavior.NonStrict);
            s.ExpectedClose = CloseExpectation.PeerFailsWithProtocolError;
            s.Peer.SendFrame(WireOpcode.Text, hello, chopSize: chop);
            s.Peer.SendFrame(opcode, withPayload ? hello : [], chopSize: chop);
            s.Peer.SendFrame(WireOpcode.Ping, chopSize: chop);
            s.Peer.KillAfter(1);
        });
}
