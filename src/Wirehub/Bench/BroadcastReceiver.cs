using System.Diagnostics;
using System.Net.Sockets;
using Wirehub.Protocol;

namespace Wirehub.Cli.Bench;

/// <summary>One broadcast client: counts the messages it receives per step and records their delivery latency.</summary>
internal sealed class BroadcastReceiver : LoopConnection
{
    private readonly byte[] _receiveBuffer;
    private readonly ReceivedMessageScanner _scanner = new(BroadcastPayload.StampLength);
    private readonly LatencyHistogram[] _latencyByStep;
    private readonly int[] _receivedByStep;
    private int _carry;
    private long _delivered;
    private volatile bool _probed;

    public BroadcastReceiver(Socket socket, byte[] receiveBuffer, int initialBytes, LatencyHistogram[] latencyByStep)
        : base(socket)
    {
        _receiveBuffer = receiveBuffer;
        _carry = initialBytes;
        _latencyByStep = latencyByStep;
        _receivedByStep = new int[latencyByStep.Length];
    }

    /// <summary>True once a probe message arrived: the server has this client on its list.</summary>
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
                throw new BenchFailure(BenchErrorKind.Closed, "The server sent a close frame in the middle of the run.");
            }

            if (opcode != Opcode.Text)
            {
                continue;
            }

            if (!BroadcastPayload.TryRead(prefix, out long timestamp, out int step)
                || (step >= _receivedByStep.Length && step != BroadcastPayload.ProbeStep))
            {
                throw new BenchFailure(BenchErrorKind.Altered,
                    "A broadcast message arrived altered; the server must relay text messages unchanged.");
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
}
