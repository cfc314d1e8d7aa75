using System.Diagnostics;
using System.Net.Sockets;
using Wirehub.Protocol;

namespace Wirehub.Cli.Bench;

/// <summary>
/// One fan-out subscriber speaking <c>wirehub.v1</c>: it has sent <c>connect</c> and <c>subscribe</c>, notes the
/// <c>subscribed</c> answer, and for every <c>message</c> push reads the stamp at the start of its data, counting it
/// per step and recording its publish-to-delivery latency. Only each push's first bytes are looked at, in place.
/// </summary>
internal sealed class FanoutSubscriber : LoopConnection
{
    private readonly byte[] _receiveBuffer;
    private readonly ReceivedMessageScanner _scanner = new(FanoutPayload.PushPrefixLength);
    private readonly LatencyHistogram[] _latencyByStep;
    private readonly int[] _receivedByStep;
    private int _carry;
    private long _delivered;
    private volatile bool _subscribed;
    private volatile bool _probed;

    public FanoutSubscriber(Socket socket, byte[] receiveBuffer, int initialBytes, LatencyHistogram[] latencyByStep)
        : base(socket)
    {
        _receiveBuffer = receiveBuffer;
        _carry = initialBytes;
        _latencyByStep = latencyByStep;
        _receivedByStep = new int[latencyByStep.Length];
    }

    /// <summary>True once the server answered the subscribe request.</summary>
    public bool Subscribed => _subscribed;

    /// <summary>True once a probe message arrived.</summary>
    public bool Probed => _probed;

    /// <summary>Messages of the steps received so far, probes excluded; read from any thread.</summary>
    public long Delivered => Volatile.Read(ref _delivered);

    /// <summary>Messages of step <paramref name="step"/> received so far.</summary>
    public int ReceivedIn(int step) => Volatile.Read(ref _receivedByStep[step]);

    public override void OnReadable()
    {
        // Bytes that arrived with the handshake response are frames too, hence consuming the carry even on 0.
        int read = Receive(_receiveBuffer.AsSpan(_carry));
        Consume(_carry + read);
    }

    private void Consume(int available)
    {
        ReadOnlySpan<byte> data = _receiveBuffer.AsSpan(0, available);
        long now = Stopwatch.GetTimestamp();
        long delivered = 0;
        while (_scanner.TryRead(ref data, out Opcode opcode, out _, out ReadOnlySpan<byte> prefix))
        {
            if (opcode == Opcode.Close)
            {
                throw new BenchFailure(BenchErrorKind.Closed, "The server closed a subscriber's connection in the middle of the run.");
            }

            if (opcode != Opcode.Text)
            {
                continue;
            }

            // The server writes "type" first in every frame (docs/PROTOCOL.md), so the kind is in the first bytes.
            if (!prefix.StartsWith("{\"type\":\"message\""u8))
            {
                OnOtherFrame(prefix);
                continue;
            }

            if (!FanoutPayload.TryReadPush(prefix, out long timestamp, out int step)
                || (step >= _receivedByStep.Length && step != BroadcastPayload.ProbeStep))
            {
                throw new BenchFailure(BenchErrorKind.Altered,
                    "A message push arrived without the publisher's stamp at the start of its data; the server must relay data unchanged.");
            }

            if (step == BroadcastPayload.ProbeStep)
            {
                _probed = true;
                continue;
            }

            _receivedByStep[step]++;
            _latencyByStep[step].Record(now - timestamp);
            delivered++;
        }

        data.CopyTo(_receiveBuffer);
        _carry = data.Length;
        Volatile.Write(ref _delivered, _delivered + delivered);
    }

    private void OnOtherFrame(ReadOnlySpan<byte> prefix)
    {
        if (prefix.StartsWith("{\"type\":\"subscribed\""u8))
        {
            _subscribed = true;
        }
        else if (prefix.StartsWith("{\"type\":\"error\""u8))
        {
            throw new BenchFailure(BenchErrorKind.Protocol,
                $"The server refused a subscriber's request: {System.Text.Encoding.UTF8.GetString(prefix)}");
        }

        // connected, ping and anything else need nothing: the server does not wait for pongs.
    }
}
