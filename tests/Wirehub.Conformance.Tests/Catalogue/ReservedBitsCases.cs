using Wirehub.Conformance.Tests.Wire;
using static Wirehub.Conformance.Tests.Catalogue.CaseFactory;

namespace Wirehub.Conformance.Tests.Catalogue;

/// <summary>
/// Section 3, reserved bits: with no extension negotiated, any RSV bit set must fail the connection with 1002
/// (RFC 6455 §5.2). Where a valid message precedes the bad frame, its echo is expected first (OK); failing before
/// echoing it is NON-STRICT.
/// </summary>
internal static class ReservedBitsCases
{
    private const string FailsImmediately = "The connection is failed immediately (1002/protocol error), since RSV must be 0 when no extension defining RSV meaning has been negotiated.";
    private const string EchoThenFail = "The echo of the first message is received, then the connection is failed immediately (1002), since RSV must be 0 when no extension defining RSV meaning has been negotiated. The pong is not received.";

    public static IEnumerable<CaseDefinition> All()
    {
        var hello = Utf8("Hello, world!");
        yield return Scripted("3.1", "Send small text message with RSV = 1.", FailsImmediately, s =>
        {
            s.ExpectOk();
            s.ExpectedClose = CloseExpectation.PeerFailsWithProtocolError;
            s.Peer.SendFrame(WireOpcode.Text, hello, rsv: 1);
            s.Peer.KillAfter(1);
        });
        yield return EchoThenBadFrame("3.2", "Send small text message, then send again with RSV = 2, then send ping.", rsv: 2, sync: false, chop: null);
        yield return EchoThenBadFrame("3.3", "Send small text message, then send again with RSV = 3, then send ping. Octets are sent in frame-wise chops.", rsv: 3, sync: true, chop: null);
        yield return EchoThenBadFrame("3.4", "Send small text message, then send again with RSV = 4, then send ping. Octets are sent in octet-wise chops.", rsv: 4, sync: false, chop: 1);
        yield return Scripted("3.5", "Send small binary message with RSV = 5.", FailsImmediately, s =>
        {
            s.ExpectOk();
            s.ExpectedClose = CloseExpectation.PeerFailsWithProtocolError;
            s.Peer.SendFrame(WireOpcode.Binary, Hex("00FFFEFDFCFB00FF"), rsv: 5);
            s.Peer.KillAfter(1);
        });
        // The original case is titled "Send Ping with RSV = 6" but sends a binary frame; kept as defined.
        yield return Scripted("3.6", "Send a small binary message (titled 'ping' in the original catalogue) with RSV = 6.", FailsImmediately, s =>
        {
            s.ExpectOk();
            s.ExpectedClose = CloseExpectation.PeerFailsWithProtocolError;
            s.Peer.SendFrame(WireOpcode.Binary, hello, rsv: 6);
            s.Peer.KillAfter(1);
        });
        yield return Scripted("3.7", "Send close with RSV = 7.", FailsImmediately, s =>
        {
            s.ExpectOk();
            s.ExpectedClose = CloseExpectation.PeerFailsWithProtocolError;
            s.Peer.SendFrame(WireOpcode.Close, rsv: 7);
            s.Peer.KillAfter(1);
        });
    }

    private static CaseDefinition EchoThenBadFrame(string id, string description, int rsv, bool sync, int? chop) =>
        Scripted(id, description, EchoThenFail, s =>
        {
            var hello = Utf8("Hello, world!");
            s.ExpectOk(CaseEvent.Message(hello, binary: false));
            s.Expect(CaseBehavior.NonStrict);
            s.ExpectedClose = CloseExpectation.PeerFailsWithProtocolError;
            s.Peer.SendFrame(WireOpcode.Text, hello, sync: sync, chopSize: chop);
            s.Peer.SendFrame(WireOpcode.Text, hello, rsv: rsv, sync: sync, chopSize: chop);
            s.Peer.SendFrame(WireOpcode.Ping, sync: sync, chopSize: chop);
            s.Peer.KillAfter(1);
        });
}
