namespace Wirehub.Conformance.Tests.Catalogue;

/// <summary>
/// Sections 9.1-9.6: one large message (up to 16 MiB), sent as one frame, as many fragments, or as one frame
/// written in small chops; the echo must come back whole. The original only compared lengths; this suite compares
/// every byte. Its timings are reported by Autobahn but are not part of the verdict.
/// </summary>
internal sealed class LargeMessageCase(bool binary, byte[] pattern, int length, int? fragmentSize, int? chopSize, double waitSeconds) : FuzzingCase
{
    private byte[] _payload = [];

    public override void OnOpen()
    {
        Peer.Log.Enabled = false;
        Behavior = CaseBehavior.Failed;
        ExpectedClose = CloseExpectation.CleanCloseByFuzzer;
        Result = $"Did not receive the message within {waitSeconds} seconds.";
        _payload = Wire.PayloadPattern.Repeat(pattern, length);
        if (fragmentSize is int size) Peer.SendMessage(_payload, binary, fragmentSize: size);
        else Peer.SendFrame(binary ? Wire.WireOpcode.Binary : Wire.WireOpcode.Text, pattern, repeatTo: length, chopSize: chopSize);
        Peer.CloseAfter(waitSeconds);
    }

    public override void OnMessage(byte[] payload, bool receivedBinary)
    {
        string kind = binary ? "binary" : "text";
        int mismatch = payload.AsSpan().CommonPrefixLength(_payload);
        if (receivedBinary != binary)
            Result = $"Expected a {kind} message, but got {(receivedBinary ? "binary" : "text")}.";
        else if (payload.Length != length)
            Result = $"Expected a {kind} message of {length} bytes, but got {payload.Length}.";
        else if (mismatch < length)
            Result = $"The echoed {kind} message differs from what was sent, first at byte {mismatch}.";
        else
        {
            Behavior = CaseBehavior.Ok;
            Result = $"Received the {kind} message of {payload.Length} bytes intact.";
        }
        Peer.Log.Enabled = true;
        Peer.SendClose(Wire.CloseCode.Normal);
    }
}
