using Wirehub.Conformance.Tests.Wire;
using static Wirehub.Conformance.Tests.Catalogue.CaseFactory;

namespace Wirehub.Conformance.Tests.Catalogue;

/// <summary>Section 2, pings and pongs (RFC 6455 §5.5.2, §5.5.3).</summary>
internal static class PingPongCases
{
    private const string CleanClose = " Clean close with normal code.";

    public static IEnumerable<CaseDefinition> All()
    {
        yield return PingEchoed("2.1", "Send ping without payload.", [], chop: null, closeAfter: 1);
        yield return PingEchoed("2.2", "Send ping with small text payload.", Utf8("Hello, world!"), chop: null, closeAfter: 1);
        yield return PingEchoed("2.3", "Send ping with small binary (non UTF-8) payload.", Hex("00FFFEFDFCFB00FF"), chop: null, closeAfter: 1);
        yield return PingEchoed("2.4", "Send ping with binary payload of 125 octets.", Filled(0xFE, 125), chop: null, closeAfter: 1);
        yield return Scripted("2.5", "Send ping with binary payload of 126 octets.",
            "Connection is failed immediately (1002/Protocol Error), since control frames may carry at most 125 octets.",
            s =>
            {
                s.ExpectOk();
                s.ExpectedClose = CloseExpectation.PeerFailsWithProtocolError;
                s.Peer.SendFrame(WireOpcode.Ping, Filled(0xFE, 126));
                s.Peer.KillAfter(1);
            });
        yield return PingEchoed("2.6", "Send ping with binary payload of 125 octets, written octet by octet.", Filled(0xFE, 125), chop: 1, closeAfter: 2);
        yield return UnsolicitedPong("2.7", "Send unsolicited pong without payload. Verify nothing is received.", []);
        yield return UnsolicitedPong("2.8", "Send unsolicited pong with payload. Verify nothing is received.", Utf8("unsolicited pong payload"));
        yield return Scripted("2.9", "Send unsolicited pong with payload. Send ping with payload. Verify pong for ping is received.",
            "Nothing in reply to our own pong, but a pong echoing the ping's payload." + CleanClose,
            s =>
            {
                s.ExpectOk(CaseEvent.Pong("ping payload"));
                s.ExpectedClose = CloseExpectation.CleanCloseByFuzzer;
                s.Peer.SendFrame(WireOpcode.Pong, Utf8("unsolicited pong payload"));
                s.Peer.SendFrame(WireOpcode.Ping, Utf8("ping payload"));
                s.Peer.CloseAfter(1);
            });
        yield return TenPings("2.10", "Send 10 pings with payload.", chop: null);
        yield return TenPings("2.11", "Send 10 pings with payload, written octet by octet.", chop: 1);
    }

    private static CaseDefinition PingEchoed(string id, string description, byte[] payload, int? chop, double closeAfter) =>
        Scripted(id, description, "A pong with the ping's payload is sent in reply." + CleanClose, s =>
        {
            s.ExpectOk(CaseEvent.Pong(payload));
            s.ExpectedClose = CloseExpectation.CleanCloseByFuzzer;
            s.Peer.SendFrame(WireOpcode.Ping, payload, chopSize: chop);
            s.Peer.CloseAfter(closeAfter);
        });

    private static CaseDefinition UnsolicitedPong(string id, string description, byte[] payload) =>
        Scripted(id, description, "Nothing in reply." + CleanClose, s =>
        {
            s.ExpectOk();
            s.ExpectedClose = CloseExpectation.CleanCloseByFuzzer;
            s.Peer.SendFrame(WireOpcode.Pong, payload);
            s.Peer.SendClose(CloseCode.Normal);
            s.Peer.CloseAfter(1);
        });

    private static CaseDefinition TenPings(string id, string description, int? chop) =>
        Scripted(id, description,
            "A pong for every ping, with all the payloads, in order. RFC 6455 §5.5.3 allows answering only the latest ping, " +
            "but the catalogue checks for every pong anyway." + CleanClose,
            s =>
            {
                var pongs = new List<CaseEvent>();
                for (int i = 0; i < 10; i++)
                {
                    var payload = Utf8($"payload-{i}");
                    pongs.Add(CaseEvent.Pong(payload));
                    s.Peer.SendFrame(WireOpcode.Ping, payload, chopSize: chop);
                }
                s.ExpectOk([.. pongs]);
                s.ExpectedClose = CloseExpectation.CleanCloseByFuzzer;
                s.Peer.CloseAfter(3);
            });
}
