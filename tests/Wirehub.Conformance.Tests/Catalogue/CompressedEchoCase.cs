using Wirehub.Conformance.Tests.Wire;

namespace Wirehub.Conformance.Tests.Catalogue;

/// <summary>
/// Sections 12 and 13: permessage-deflate messages sent one at a time, each after the previous echo, with the
/// negotiated compression parameters; every echo must inflate to exactly the message sent. A peer that does not
/// agree to permessage-deflate gets UNIMPLEMENTED.
/// </summary>
internal sealed class CompressedEchoCase(CompressionCorpus corpus, int length, int originalCount, double waitSeconds, int autoFragmentSize,
    CompressionSetup setup) : FuzzingCase
{
    private byte[] _lastSent = [];
    private int _position;
    private int _sent;
    private int _count;

    public override CompressionSetup Compression => setup;

    public override void OnOpen()
    {
        Peer.Log.Enabled = false;
        Peer.AutoFragmentSize = autoFragmentSize;
        ExpectedClose = CloseExpectation.CleanCloseByFuzzer;
        if (Peer.Compression is null)
        {
            Behavior = CaseBehavior.Unimplemented;
            Result = "permessage-deflate was not agreed in the opening handshake, so the case could not run.";
            Peer.SendClose(CloseCode.Normal);
            return;
        }
        Behavior = CaseBehavior.Failed;
        Result = $"The case did not finish within {waitSeconds} seconds.";
        _count = Peer.Options.CompressionMessageCount(length, originalCount);
        Peer.CloseAfter(waitSeconds);
        SendOne();
    }

    private void SendOne()
    {
        _lastSent = corpus.NextMessage(ref _position, length);
        Peer.SendMessage(_lastSent, corpus.Binary);
        _sent++;
    }

    public override void OnMessage(byte[] payload, bool binary)
    {
        string? problem = binary != corpus.Binary
            ? $"Echo {_sent} has the wrong type (got {(binary ? "binary" : "text")}, expected {(corpus.Binary ? "binary" : "text")})."
            : payload.Length != _lastSent.Length
                ? $"Echo {_sent} has {payload.Length} bytes, but {_lastSent.Length} were sent."
                : !payload.AsSpan().SequenceEqual(_lastSent)
                    ? $"Echo {_sent} differs from what was sent, first at byte {payload.AsSpan().CommonPrefixLength(_lastSent)}."
                    : null;
        if (problem is not null)
        {
            Behavior = CaseBehavior.Failed;
            Result = problem;
            Peer.Log.Enabled = true;
            Peer.SendClose(CloseCode.Normal);
        }
        else if (_sent < _count) SendOne();
        else
        {
            Behavior = CaseBehavior.Ok;
            Result = $"Received all {_count} echoed messages intact.";
            Peer.Log.Enabled = true;
            Peer.SendClose(CloseCode.Normal);
        }
    }
}
