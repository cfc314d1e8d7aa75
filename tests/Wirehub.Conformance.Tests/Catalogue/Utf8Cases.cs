using Wirehub.Conformance.Tests.Engine;
using Wirehub.Conformance.Tests.Wire;
using static Wirehub.Conformance.Tests.Catalogue.CaseFactory;

namespace Wirehub.Conformance.Tests.Catalogue;

/// <summary>
/// Section 6, UTF-8 handling: text messages must be valid UTF-8 and an endpoint must fail the connection with 1007
/// as soon as it sees otherwise (RFC 6455 §8.1, "fail fast"), whatever the fragmentation.
/// </summary>
internal static class Utf8Cases
{
    private const string Echoed = "The message is echoed. Clean close with normal code.";
    private const string FailsWith1007 = "The connection is failed immediately (1007), since the payload is not valid UTF-8.";

    private static readonly byte[] HelloUtf8 = Utf8("Hello-µ@ßöäüàá-UTF-8!!");

    /// <summary>κόσμε, then U+D800 encoded (a surrogate: invalid at its second byte), then "edited".</summary>
    private static readonly byte[] KosmeWithSurrogate = [.. Utf8Sequences.Kosme, 0xED, 0xA0, 0x80, .. Utf8("edited")];

    /// <summary>κόσμε, then 0x110000 in the UTF-8 integer scheme (beyond U+10FFFF: invalid at 0x90), then "edited".</summary>
    private static readonly byte[] KosmeBeyondRange = [.. Utf8Sequences.Kosme, 0xF4, 0x90, 0x80, 0x80, .. Utf8("edited")];

    public static IEnumerable<CaseDefinition> All()
    {
        yield return ValidFrames("6.1.1", "Send text message of length 0.", [], s => s.Peer.SendFrame(WireOpcode.Text));
        yield return ValidFrames("6.1.2", "Send fragmented text message, 3 fragments each of length 0.", [], s =>
        {
            s.Peer.SendFrame(WireOpcode.Text, fin: false);
            s.Peer.SendFrame(WireOpcode.Continuation, fin: false);
            s.Peer.SendFrame(WireOpcode.Continuation);
        });
        yield return ValidFrames("6.1.3", "Send fragmented text message, 3 fragments, first and last of length 0, middle non-empty.", Utf8("middle frame payload"), s =>
        {
            s.Peer.SendFrame(WireOpcode.Text, fin: false);
            s.Peer.SendFrame(WireOpcode.Continuation, Utf8("middle frame payload"), fin: false);
            s.Peer.SendFrame(WireOpcode.Continuation);
        });

        yield return ValidFrames("6.2.1", $"Send a valid UTF-8 text message in one fragment. Message: {Convert.ToHexString(HelloUtf8)}", HelloUtf8,
            s => s.Peer.SendMessage(HelloUtf8, binary: false));
        byte[] first = Utf8("Hello-µ@ßöä"), second = Utf8("üàá-UTF-8!!");
        yield return ValidFrames("6.2.2", "Send a valid UTF-8 text message in two fragments, split on a code point boundary.", [.. first, .. second], s =>
        {
            s.Peer.SendFrame(WireOpcode.Text, first, fin: false);
            s.Peer.SendFrame(WireOpcode.Continuation, second);
        });
        yield return ValidFrames("6.2.3", "Send a valid UTF-8 text message in fragments of 1 octet, so frames end inside code points.", HelloUtf8,
            s => s.Peer.SendMessage(HelloUtf8, binary: false, fragmentSize: 1));
        yield return ValidFrames("6.2.4", $"Send a valid UTF-8 text message in fragments of 1 octet, so frames end inside code points. Message: {Convert.ToHexString(Utf8Sequences.Kosme)}",
            Utf8Sequences.Kosme, s => s.Peer.SendMessage(Utf8Sequences.Kosme, binary: false, fragmentSize: 1));

        yield return Invalid("6.3.1", $"Send invalid UTF-8 text message unfragmented. Message: {Convert.ToHexString(KosmeWithSurrogate)}", killAfter: 1,
            s => s.Peer.SendMessage(KosmeWithSurrogate, binary: false));
        yield return Invalid("6.3.2", "Send invalid UTF-8 text message in fragments of 1 octet, so frames end inside code points.", killAfter: 1,
            s => s.Peer.SendMessage(KosmeWithSurrogate, binary: false, fragmentSize: 1));

        byte[] part1 = Utf8Sequences.Kosme, part2 = KosmeBeyondRange[11..15], part3 = KosmeBeyondRange[15..];
        yield return FailFast("6.4.1",
            "Send invalid UTF-8 text message in 3 frames: the first is valid, then a pause, then the second with the octets that make the " +
            $"sequence invalid (0x110000 in the UTF-8 integer scheme, beyond U+10FFFF), then a pause, then the rest. Parts: {Hex(part1, part2, part3)}",
            streamed: false, part1, part2, part3);
        yield return FailFast("6.4.2", "Same as 6.4.1, but the second frame holds only the octet that makes the payload invalid. " +
                                       $"Parts: {Hex(KosmeBeyondRange[..12], KosmeBeyondRange[12..13], KosmeBeyondRange[13..])}",
            streamed: false, KosmeBeyondRange[..12], KosmeBeyondRange[12..13], KosmeBeyondRange[13..]);
        yield return FailFast("6.4.3", "Same as 6.4.1, but the 3 parts are chops of one frame instead of 3 frames.",
            streamed: true, part1, part2, part3);
        yield return FailFast("6.4.4", "Same as 6.4.2, but the 3 parts are chops of one frame instead of 3 frames.",
            streamed: true, KosmeBeyondRange[..12], KosmeBeyondRange[12..13], KosmeBeyondRange[13..]);

        int subsection = 5;
        foreach (var (title, sequences) in Utf8Sequences.Groups)
        {
            int number = 1;
            foreach (var (valid, bytes) in sequences)
            {
                string id = $"6.{subsection}.{number++}";
                string description = $"{title}: send a text message whose payload is {(valid ? "" : "not ")}valid UTF-8, in one fragment. Payload: 0x{Convert.ToHexString(bytes)}";
                yield return valid
                    ? Scripted(id, description, "The message is echoed.", s =>
                    {
                        s.ExpectOk(CaseEvent.Message(bytes, binary: false));
                        s.ExpectedClose = CloseExpectation.CleanCloseByFuzzer;
                        s.Peer.SendMessage(bytes, binary: false);
                        s.Peer.KillAfter(0.5);
                    })
                    : Invalid(id, description, killAfter: 0.5, s => s.Peer.SendMessage(bytes, binary: false));
            }
            subsection++;
        }
    }

    private static string Hex(params byte[][] parts) => string.Join(" | ", parts.Select(Convert.ToHexString));

    private static CaseDefinition ValidFrames(string id, string description, byte[] expected, Action<ScriptedCase> send) =>
        Scripted(id, description, Echoed, s =>
        {
            s.ExpectOk(CaseEvent.Message(expected, binary: false));
            s.ExpectedClose = CloseExpectation.CleanCloseByFuzzer;
            send(s);
            s.Peer.CloseAfter(1);
        });

    private static CaseDefinition Invalid(string id, string description, double killAfter, Action<ScriptedCase> send) =>
        Scripted(id, description, FailsWith1007, s =>
        {
            s.ExpectOk();
            s.ExpectedClose = CloseExpectation.PeerFailsWithInvalidPayload;
            send(s);
            s.Peer.KillAfter(killAfter);
        });

    /// <summary>
    /// The fail-fast cases: the peer must fail the connection once the invalid part arrived, before the rest of
    /// the message is sent (OK: only timed step A ran). Failing only once the message is complete is NON-STRICT
    /// (steps A and B ran). The first wait is a plain pause; the second is the peer's window to react and is never
    /// shortened.
    /// </summary>
    private static CaseDefinition FailFast(string id, string description, bool streamed, byte[] part1, byte[] part2, byte[] part3) =>
        Scripted(id, description,
            "The connection is failed (1007) as soon as the invalid part arrives, before the rest of the message is sent.",
            s =>
            {
                var peer = s.Peer;
                s.ExpectOk(CaseEvent.Timeout("A"));
                s.Expect(CaseBehavior.NonStrict, CaseEvent.Timeout("A"), CaseEvent.Timeout("B"));
                s.ExpectedClose = CloseExpectation.PeerFailsWithInvalidPayload;
                if (streamed)
                {
                    peer.BeginMessage(binary: false);
                    peer.BeginMessageFrame(part1.Length + part2.Length + part3.Length);
                    peer.SendMessageFrameData(part1);
                }
                else peer.SendFrame(WireOpcode.Text, part1, fin: false);

                peer.ContinueLater(peer.Options.Pause(1), () =>
                {
                    if (peer.State != PeerState.Open) return;
                    s.Received.Add(CaseEvent.Timeout("A"));
                    if (streamed) peer.SendMessageFrameData(part2);
                    else peer.SendFrame(WireOpcode.Continuation, part2, fin: false);

                    peer.ContinueLater(peer.Options.Timeout(1), () =>
                    {
                        if (peer.State != PeerState.Open) return;
                        s.Received.Add(CaseEvent.Timeout("B"));
                        if (streamed)
                        {
                            peer.SendMessageFrameData(part3);
                            peer.EndMessage();
                        }
                        else peer.SendFrame(WireOpcode.Continuation, part3);
                        peer.KillAfter(1);
                    }, "B");
                }, "A");
            });
}
