using Wirehub.Conformance.Tests.Wire;
using static Wirehub.Conformance.Tests.Catalogue.CaseFactory;

namespace Wirehub.Conformance.Tests.Catalogue;

/// <summary>Section 5, fragmentation (RFC 6455 §5.4): control frames may interleave but never be fragmented; continuation frames need a message to continue.</summary>
internal static class FragmentationCases
{
    private const string ProtocolError = "The connection is failed immediately (1002/protocol error).";
    private const string Echoed = "The message is echoed, reassembled. Clean close with normal code.";

    public static IEnumerable<CaseDefinition> All()
    {
        yield return FailsWith("5.1", "Send ping fragmented into 2 fragments.", s =>
        {
            s.Peer.SendFrame(WireOpcode.Ping, Utf8("fragment1"), fin: false);
            s.Peer.SendFrame(WireOpcode.Continuation, Utf8("fragment2"));
        });
        yield return FailsWith("5.2", "Send pong fragmented into 2 fragments.", s =>
        {
            s.Peer.SendFrame(WireOpcode.Pong, Utf8("fragment1"), fin: false);
            s.Peer.SendFrame(WireOpcode.Continuation, Utf8("fragment2"));
        });
        yield return TwoFragments("5.3", "Send text message fragmented into 2 fragments.", withPing: false, sync: false, chop: null);
        yield return TwoFragments("5.4", "Send text message fragmented into 2 fragments, octets written in frame-wise chops.", withPing: false, sync: true, chop: null);
        yield return TwoFragments("5.5", "Send text message fragmented into 2 fragments, octets written octet by octet.", withPing: false, sync: false, chop: 1);
        yield return TwoFragments("5.6", "Send text message fragmented into 2 fragments, one ping with payload in between.", withPing: true, sync: false, chop: null);
        yield return TwoFragments("5.7", "Send text message fragmented into 2 fragments, one ping with payload in between, octets written in frame-wise chops.", withPing: true, sync: true, chop: null);
        yield return TwoFragments("5.8", "Send text message fragmented into 2 fragments, one ping with payload in between, octets written octet by octet.", withPing: true, sync: false, chop: 1);

        var chops = new (string How, bool Sync, int? Chop)[] { ("in one chop", false, null), ("in frame-wise chops", true, null), ("octet by octet", false, 1) };
        for (int i = 0; i < 3; i++)
        {
            var (how, sync, chop) = chops[i];
            yield return FailsWith($"5.{9 + i}", $"Send unfragmented text message after a continuation frame with FIN = true, where there is nothing to continue, written {how}.", s =>
            {
                s.Peer.SendFrame(WireOpcode.Continuation, Utf8("non-continuation payload"), sync: sync, chopSize: chop);
                s.Peer.SendFrame(WireOpcode.Text, Utf8("Hello, world!"), sync: sync, chopSize: chop);
            });
        }
        for (int i = 0; i < 3; i++)
        {
            var (how, sync, chop) = chops[i];
            yield return FailsWith($"5.{12 + i}", $"Send unfragmented text message after a continuation frame with FIN = false, where there is nothing to continue, written {how}.", s =>
            {
                s.Peer.SendFrame(WireOpcode.Continuation, Utf8("non-continuation payload"), fin: false, sync: sync, chopSize: chop);
                s.Peer.SendFrame(WireOpcode.Text, Utf8("Hello, world!"), sync: sync, chopSize: chop);
            });
        }
        yield return Scripted("5.15",
            "Send text message fragmented into 2 fragments, then a continuation frame with FIN = false where there is nothing to continue, then an unfragmented text message, all in one chop.",
            "The first message is echoed, then the connection is failed immediately (1002).",
            s =>
            {
                s.ExpectOk(CaseEvent.Text("fragment1fragment2"));
                s.Expect(CaseBehavior.NonStrict);
                s.ExpectedClose = CloseExpectation.PeerFailsWithProtocolError;
                s.Peer.SendFrame(WireOpcode.Text, Utf8("fragment1"), fin: false);
                s.Peer.SendFrame(WireOpcode.Continuation, Utf8("fragment2"));
                s.Peer.SendFrame(WireOpcode.Continuation, Utf8("fragment3"), fin: false);
                s.Peer.SendFrame(WireOpcode.Text, Utf8("fragment4"));
                s.Peer.KillAfter(1);
            });
        yield return FailsWith("5.16", "Repeated 2x: continuation frame with FIN = false (nothing to continue), then text message fragmented into 2 fragments.", s =>
        {
            for (int i = 0; i < 2; i++)
            {
                s.Peer.SendFrame(WireOpcode.Continuation, Utf8("fragment1"), fin: false);
                s.Peer.SendFrame(WireOpcode.Text, Utf8("fragment2"), fin: false);
                s.Peer.SendFrame(WireOpcode.Continuation, Utf8("fragment3"));
            }
        });
        yield return FailsWith("5.17", "Repeated 2x: continuation frame with FIN = true (nothing to continue), then text message fragmented into 2 fragments.", s =>
        {
            for (int i = 0; i < 2; i++)
            {
                s.Peer.SendFrame(WireOpcode.Continuation, Utf8("fragment1"));
                s.Peer.SendFrame(WireOpcode.Text, Utf8("fragment2"), fin: false);
                s.Peer.SendFrame(WireOpcode.Continuation, Utf8("fragment3"));
            }
        });
        yield return FailsWith("5.18", "Send text message fragmented into 2 fragments, with both frame opcodes set to text, in one chop.", s =>
        {
            s.Peer.SendFrame(WireOpcode.Text, Utf8("fragment1"), fin: false);
            s.Peer.SendFrame(WireOpcode.Text, Utf8("fragment2"));
        });
        yield return PingsInsideFragmentedMessage("5.19", sync: false);
        yield return PingsInsideFragmentedMessage("5.20", sync: true);
    }

    private static CaseDefinition FailsWith(string id, string description, Action<ScriptedCase> send) =>
        Scripted(id, description, ProtocolError, s =>
        {
            s.ExpectOk();
            s.ExpectedClose = CloseExpectation.PeerFailsWithProtocolError;
            send(s);
            s.Peer.KillAfter(1);
        });

    private static CaseDefinition TwoFragments(string id, string description, bool withPing, bool sync, int? chop) =>
        Scripted(id, description, withPing ? "A pong for the ping, then the echoed message. Clean close with normal code." : Echoed, s =>
        {
            var message = CaseEvent.Text("fragment1fragment2");
            if (withPing) s.ExpectOk(CaseEvent.Pong("ping payload"), message);
            else s.ExpectOk(message);
            s.ExpectedClose = CloseExpectation.CleanCloseByFuzzer;
            s.Peer.SendFrame(WireOpcode.Text, Utf8("fragment1"), fin: false, sync: sync, chopSize: chop);
            if (withPing) s.Peer.SendFrame(WireOpcode.Ping, Utf8("ping payload"), sync: sync, chopSize: chop);
            s.Peer.SendFrame(WireOpcode.Continuation, Utf8("fragment2"), sync: sync, chopSize: chop);
            s.Peer.CloseAfter(1);
        });

    private static CaseDefinition PingsInsideFragmentedMessage(string id, bool sync) =>
        Scripted(id,
            "A fragmented text message is sent in 5 frames. After the first 2 text frames a ping is sent; after a pause 2 more text " +
            $"fragments, another ping and the final text fragment follow. Everything is legal.{(sync ? " All frames are written frame-wise (this changes only how the octets are chopped on the wire)." : "")}",
            "The peer answers each ping with a pong at once, without waiting for the message to end, and echoes the reassembled message.",
            s =>
            {
                string[] fragments = ["fragment1", "fragment2", "fragment3", "fragment4", "fragment5"];
                s.ExpectOk(CaseEvent.Pong("pongme 1!"), CaseEvent.Pong("pongme 2!"), CaseEvent.Text(string.Concat(fragments)));
                s.ExpectedClose = CloseExpectation.CleanCloseByFuzzer;
                s.Peer.SendFrame(WireOpcode.Text, Utf8(fragments[0]), fin: false, sync: sync);
                s.Peer.SendFrame(WireOpcode.Continuation, Utf8(fragments[1]), fin: false, sync: sync);
                s.Peer.SendFrame(WireOpcode.Ping, Utf8("pongme 1!"), sync: sync);
                s.Peer.ContinueLater(s.Peer.Options.Pause(1), () =>
                {
                    s.Peer.SendFrame(WireOpcode.Continuation, Utf8(fragments[2]), fin: false, sync: sync);
                    s.Peer.SendFrame(WireOpcode.Continuation, Utf8(fragments[3]), fin: false, sync: sync);
                    s.Peer.SendFrame(WireOpcode.Ping, Utf8("pongme 2!"), sync: sync);
                    s.Peer.SendFrame(WireOpcode.Continuation, Utf8(fragments[4]), sync: sync);
                    s.Peer.CloseAfter(1);
                });
            });
}
