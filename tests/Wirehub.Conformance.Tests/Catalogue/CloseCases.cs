using Wirehub.Conformance.Tests.Wire;
using static Wirehub.Conformance.Tests.Catalogue.CaseFactory;

namespace Wirehub.Conformance.Tests.Catalogue;

/// <summary>
/// Section 7, close handling (RFC 6455 §5.5.1, §7): the closing handshake after messages, frames after a Close,
/// close payload lengths, reason encoding and which close codes may appear on the wire. In this section the close
/// is the behaviour under test, so a wrong close code fails the case outright.
/// </summary>
internal static class CloseCases
{
    private const string CleanClose = "Clean close with normal code.";

    /// <summary>κόσμε, a UTF-16 surrogate (invalid UTF-8), "edited".</summary>
    private static readonly byte[] InvalidReason = Hex("CEBAE1BDB9CF83CEBCCEB5EDA080656469746564");

    private static readonly int[] ValidCodes = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999];

    private static readonly int[] InvalidCodes = [0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999];

    public static IEnumerable<CaseDefinition> All()
    {
        yield return Scripted("7.1.1", "Send a message followed by a close frame.", "Echoed message, then clean close with normal code.", s =>
        {
            s.ExpectOk(CaseEvent.Text("Hello World!"));
            s.ExpectedClose = CloseExpectation.CleanCloseByFuzzer;
            s.Peer.SendFrame(WireOpcode.Text, Utf8("Hello World!"));
            s.Peer.KillAfter(1);
        }, ScriptedCase.WrongCodeFailsCase);
        yield return AfterClose("7.1.2", "Send two close frames.", s => s.Peer.SendFrame(WireOpcode.Close));
        yield return AfterClose("7.1.3", "Send a ping after the close frame.", s => s.Peer.SendFrame(WireOpcode.Ping));
        yield return AfterClose("7.1.4", "Send a text message after the close frame.", s => s.Peer.SendFrame(WireOpcode.Text, Utf8("Hello World!")));
        yield return Scripted("7.1.5", "Send message fragment 1, then a close frame, then fragment 2.",
            "Clean close with normal code; the peer ignores what follows its close.", s =>
            {
                s.SuppressClose = true;
                s.ExpectOk();
                s.ExpectedClose = CloseExpectation.CleanCloseByFuzzer;
                s.Peer.SendFrame(WireOpcode.Text, Utf8("fragment1"), fin: false);
                s.Peer.SendClose(CloseCode.Normal);
                s.Peer.SendFrame(WireOpcode.Continuation, Utf8("fragment2"));
                s.Peer.KillAfter(1);
            }, ScriptedCase.WrongCodeFailsCase);
        yield return Scripted("7.1.6", "Send a 256K message followed by a text message, a close frame, then a ping.",
            "Informational: whether the messages are echoed before the close is processed is left open.", s =>
            {
                s.SuppressClose = true;
                s.ExpectOk(CaseEvent.Text("Hello World!"));
                s.Expect(CaseBehavior.NonStrict);
                s.ExpectedClose = CloseExpectation.CleanCloseByFuzzer;
                s.Peer.SendFrame(WireOpcode.Text, Utf8("BAsd7&jh23"), repeatTo: 256 * 1024);
                s.Peer.SendFrame(WireOpcode.Text, Utf8("Hello World!"));
                s.Peer.SendClose(CloseCode.Normal);
                s.Peer.SendFrame(WireOpcode.Ping);
                s.Peer.KillAfter(1);
            }, ScriptedCase.Informational("The order of echoes and close is up to the peer."));

        yield return CloseFrame("7.3.1", "Send a close frame with payload length 0 (no close code, no close reason).", CloseExpectation.CleanCloseByFuzzer,
            s => s.Peer.SendCloseFrame(null));
        yield return CloseFrame("7.3.2", "Send a close frame with payload length 1.", new CloseExpectation(true, [1002], RequireClean: false),
            s => s.Peer.SendCloseFrame(null, Utf8("a")));
        yield return CloseFrame("7.3.3", "Send a close frame with payload length 2 (regular close with a code).", CloseExpectation.CleanCloseByFuzzer,
            s => s.Peer.SendClose(CloseCode.Normal));
        yield return CloseFrame("7.3.4", "Send a close frame with close code and close reason.", CloseExpectation.CleanCloseByFuzzer,
            s => s.Peer.SendClose(CloseCode.Normal, "Hello World!"));
        yield return CloseFrame("7.3.5", "Send a close frame with close code and close reason of maximum length (123).", CloseExpectation.CleanCloseByFuzzer,
            s => s.Peer.SendClose(CloseCode.Normal, new string('*', 123)));
        yield return CloseFrame("7.3.6", "Send a close frame with close code and close reason which is too long (124): total frame payload 126 octets.",
            new CloseExpectation(true, [1002], RequireClean: false),
            s => s.Peer.SendCloseFrame(CloseCode.Normal, Filled((byte)'*', 124)));
        yield return CloseFrame("7.5.1", $"Send a close frame with invalid UTF-8 payload: 0x{Convert.ToHexString(InvalidReason)}",
            new CloseExpectation(true, [1002, 1007], RequireClean: false),
            s => s.Peer.SendCloseFrame(CloseCode.Normal, InvalidReason));

        for (int i = 0; i < ValidCodes.Length; i++)
        {
            int code = ValidCodes[i];
            yield return CloseFrame($"7.7.{i + 1}", $"Send close with valid close code {code}.", new CloseExpectation(true, [1000, code], RequireClean: true),
                s => s.Peer.SendCloseFrame(code));
        }
        for (int i = 0; i < InvalidCodes.Length; i++)
        {
            int code = InvalidCodes[i];
            yield return CloseFrame($"7.9.{i + 1}", $"Send close with invalid close code {code}.", new CloseExpectation(true, [1002], RequireClean: false),
                s => s.Peer.SendCloseFrame(code));
        }
        foreach (var (id, code) in new[] { ("7.13.1", 5000), ("7.13.2", 65535) })
        {
            yield return Scripted(id, $"Send close with close code {code}.", "Informational: codes of 5000 and above are undefined by the spec.", s =>
            {
                s.SuppressClose = true;
                s.ExpectOk();
                s.ExpectedClose = new CloseExpectation(true, [1000, code, 1002], RequireClean: false);
                s.Peer.SendCloseFrame(code);
                s.Peer.KillAfter(1);
            }, ScriptedCase.Informational("Actual events are undefined by the spec."));
        }
    }

    private static CaseDefinition AfterClose(string id, string description, Action<ScriptedCase> afterClose) =>
        Scripted(id, description, $"{CleanClose} The peer ignores frames after a close.", s =>
        {
            s.SuppressClose = true;
            s.ExpectOk();
            s.ExpectedClose = CloseExpectation.CleanCloseByFuzzer;
            s.Peer.SendClose(CloseCode.Normal);
            afterClose(s);
            s.Peer.KillAfter(1);
        }, ScriptedCase.WrongCodeFailsCase);

    private static CaseDefinition CloseFrame(string id, string description, CloseExpectation expectation, Action<ScriptedCase> sendClose) =>
        Scripted(id, description,
            expectation.PeerMustFail
                ? $"The peer fails the connection with {string.Join(" or ", expectation.Codes)}."
                : $"Clean close; the peer answers with {string.Join(" or ", expectation.Codes)} or no code.",
            s =>
            {
                s.SuppressClose = true;
                s.ExpectOk();
                s.ExpectedClose = expectation;
                sendClose(s);
                s.Peer.KillAfter(1);
            }, ScriptedCase.WrongCodeFailsCase);
}
