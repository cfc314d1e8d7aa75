using Wirehub.Conformance.Tests.Wire;

namespace Wirehub.Conformance.Tests.Catalogue;

/// <summary>
/// Sections 9.7 and 9.8: a fixed number of messages sent one at a time, each after the previous echo (Autobahn
/// measures the round-trip time; this suite only requires every echo to come back right).
/// </summary>
internal sealed class RoundTripCase(bool binary, int length, int count, double waitSeconds) : FuzzingCase
{
    private byte[] _expected = [];
    private int _sent;

    public override void OnOpen()
    {
        Peer.Log.Enabled = false;
        Behavior = CaseBehavior.Failed;
        ExpectedClose = CloseExpectation.CleanCloseByFuzzer;
        Result = $"The case did not finish within {waitSeconds} seconds.";
        _expected = PayloadPattern.Repeat(binary ? [0xFE] : "*"u8, length);
        Peer.CloseAfter(waitSeconds);
        SendOne();
    }

    private void SendOne()
    {
        Peer.SendFrame(binary ? WireOpcode.Binary : WireOpcode.Text, _expected);
        _sent++;
    }

    public override void OnMessage(byte[] payload, bool receivedBinary)
    {
        if (receivedBinary != binary || !payload.AsSpan().SequenceEqual(_expected))
        {
            Behavior = CaseBehavior.Failed;
            Result = $"Echo {_sent} differs from what was sent (got {(receivedBinary ? "binary" : "text")}, {payload.Length} bytes; sent {(binary ? "binary" : "text")}, {length} bytes).";
            Peer.Log.Enabled = true;
            Peer.SendClose(CloseCode.Normal);
        }
        else if (_sent < count) SendOne();
        else
        {
            Behavior = CaseBehavior.Ok;
            Result = $"Received all {count} echoed messages.";
            Peer.Log.Enabled = true;
            Peer.SendClose(CloseCode.Normal);
        }
    }
}
