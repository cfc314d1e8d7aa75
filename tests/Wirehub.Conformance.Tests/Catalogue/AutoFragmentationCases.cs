using Wirehub.Conformance.Tests.Wire;

namespace Wirehub.Conformance.Tests.Catalogue;

/// <summary>Section 10: a message the fuzzer splits into frames of 1300 bytes by itself; the peer must reassemble it.</summary>
internal static class AutoFragmentationCases
{
    public static IEnumerable<CaseDefinition> All()
    {
        const int length = 65536, fragment = 1300;
        var payload = CaseFactory.Filled((byte)'*', length);
        yield return CaseFactory.Scripted("10.1.1", $"Send text message with payload of length {length}, auto-fragmented into frames of {fragment} octets.",
            "Receive the echoed text message (with payload as sent and the expected frame counts sent). Clean close with normal code.",
            s =>
            {
                s.Peer.AutoFragmentSize = fragment;
                s.ExpectOk(CaseEvent.Message(payload, binary: false));
                s.ExpectedClose = CloseExpectation.CleanCloseByFuzzer;
                s.Peer.SendMessage(payload, binary: false);
                s.Peer.KillAfter(10);
            },
            s =>
            {
                // The fuzzer's own bookkeeping: 1 text frame and 50 continuation frames.
                int continuations = length / fragment, texts = length % fragment > 0 ? 1 : 0;
                if (s.Peer.SentDataFrames[WireOpcode.Continuation] == continuations && s.Peer.SentDataFrames[WireOpcode.Text] == texts) return;
                s.Behavior = CaseBehavior.Failed;
                s.Result = $"Frames sent (text {s.Peer.SentDataFrames[WireOpcode.Text]}, continuation {s.Peer.SentDataFrames[WireOpcode.Continuation]}) " +
                           $"differ from the expected (text {texts}, continuation {continuations}).";
            });
    }
}
