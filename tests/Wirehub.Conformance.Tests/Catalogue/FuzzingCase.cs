using Wirehub.Conformance.Tests.Engine;

namespace Wirehub.Conformance.Tests.Catalogue;

/// <summary>
/// One run of one catalogue case, in either role. The case drives the connection from <see cref="OnOpen"/> and its
/// timers, collects what the peer sends, and when the TCP connection is gone judges two things as the Autobahn
/// TestSuite does: the behaviour (did the observed events equal an expected sequence?) and the close behaviour (who
/// closed, cleanly or not, with which code, and who closed TCP).
/// </summary>
/// <remarks>
/// The judge is stricter than Autobahn's in two ways: only an "OK" match passes (NON-STRICT, e.g. failing late on
/// invalid UTF-8, fails), and when the peer must fail the connection it must say why with a close code (RFC 6455
/// §7.1.7); Autobahn also accepts a TCP drop without a code.
/// </remarks>
internal abstract class FuzzingCase
{
    private readonly List<(string Behavior, IReadOnlyList<CaseEvent> Events)> _expected = [];

    /// <summary>The connection this run drives; available from <see cref="OnOpen"/> on.</summary>
    public FuzzingPeer Peer { get; private set; } = null!;

    public IReadOnlyList<(string Behavior, IReadOnlyList<CaseEvent> Events)> Expected => _expected;

    public CloseExpectation ExpectedClose { get; set; } = CloseExpectation.CleanCloseByFuzzer;

    public List<CaseEvent> Received { get; } = [];

    public string Behavior { get; set; } = CaseBehavior.Failed;

    public string BehaviorClose { get; set; } = CaseBehavior.Failed;

    public string Result { get; set; } = "Actual events differ from any expected.";

    public string ResultClose { get; set; } = "TCP connection was dropped without close handshake";

    /// <summary>Stops the automatic normal close once the expected events arrived (cases that close on purpose).</summary>
    public bool SuppressClose { get; set; }

    /// <summary>The permessage-deflate offers and acceptance of sections 12 and 13; null for every other case.</summary>
    public virtual CompressionSetup? Compression => null;

    internal void Attach(FuzzingPeer peer) => Peer = peer;

    /// <summary>Adds an acceptable sequence of events; the first one that matches names the behaviour.</summary>
    public void Expect(string behavior, params CaseEvent[] events) => _expected.Add((behavior, events));

    public void ExpectOk(params CaseEvent[] events) => Expect(CaseBehavior.Ok, events);

    public abstract void OnOpen();

    public virtual void OnMessage(byte[] payload, bool binary)
    {
        Received.Add(CaseEvent.Message(payload, binary));
        FinishWhenDone();
    }

    public virtual void OnPong(byte[] payload)
    {
        Received.Add(CaseEvent.Pong(payload));
        FinishWhenDone();
    }

    /// <summary>
    /// Once the events received so far equal every expected sequence, the fuzzer starts the normal close when the
    /// case says it should.
    /// </summary>
    protected void FinishWhenDone()
    {
        if (!_expected.All(e => Received.SequenceEqual(e.Events))) return;
        if (ExpectedClose.ClosedByFuzzer && !SuppressClose) Peer.SendClose(ExpectedClose.Codes[0]);
    }

    /// <summary>Called once the TCP connection is gone; sets the verdict.</summary>
    public virtual void OnConnectionLost() => Judge();

    protected void Judge()
    {
        foreach (var (behavior, events) in _expected)
        {
            if (!Received.SequenceEqual(events)) continue;
            Behavior = behavior;
            Result = "Actual events match at least one expected.";
            break;
        }
        JudgeClose();
        if (ExpectedClose.WrongEndpointFailsCase && ExpectedClose.ClosedByFuzzer != Peer.ClosedByMe)
        {
            // The fuzzer had to close: the peer never noticed the invalid payload.
            Behavior = CaseBehavior.Failed;
            Result = "The peer never failed the connection, so it did not detect the invalid payload.";
        }
    }

    private void JudgeClose()
    {
        var expected = ExpectedClose;
        if (expected.ClosedByFuzzer != Peer.ClosedByMe)
        {
            BehaviorClose = CaseBehavior.Failed;
            ResultClose = expected.ClosedByFuzzer
                ? "The connection was failed by the wrong endpoint: the peer started the closing handshake, but the fuzzer was to close it."
                : $"The connection was failed by the wrong endpoint: the peer should have failed it with {string.Join(" or ", expected.Codes)}, " +
                  "but the fuzzer had to start the closing handshake.";
        }
        else if (expected.RequireClean && !Peer.WasClean)
        {
            BehaviorClose = CaseBehavior.Unclean;
            ResultClose = $"The spec requires the connection to be closed cleanly here: {Peer.WasNotCleanReason ?? "the closing handshake did not complete"}.";
        }
        else if (Peer.RemoteCloseCode is int code && !expected.Codes.Contains(code))
        {
            BehaviorClose = CaseBehavior.WrongCode;
            ResultClose = $"The close code should have been {string.Join(" or ", expected.Codes)}, but the peer sent {code}.";
        }
        else if (expected.PeerMustFail && Peer.RemoteCloseCode is null)
        {
            BehaviorClose = CaseBehavior.WrongCode;
            ResultClose = $"The peer ended the connection without a close code; it must send a Close frame with {string.Join(" or ", expected.Codes)} " +
                          "when it fails the connection (RFC 6455 §7.1.7). Autobahn tolerates this; this suite does not.";
        }
        else if (!Peer.IsServer && Peer.DroppedByMe)
        {
            BehaviorClose = CaseBehavior.FailedByClient;
            ResultClose = "The server must close the TCP connection first (RFC 6455 §7.1.1), but the fuzzing client had to.";
        }
        else
        {
            BehaviorClose = CaseBehavior.Ok;
            ResultClose = "Connection was properly closed";
        }
    }
}
