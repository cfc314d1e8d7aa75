using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using Wirehub.Protocol;

namespace Wirehub.Cli.Bench;

/// <summary>
/// One echo client: keeps a fixed number of binary messages in flight, and for every echo that arrives sends one new
/// message, batched into a single send per receive, until the <see cref="SendGate"/> closes.
/// </summary>
internal sealed class EchoConnection : LoopConnection
{
    // Payload layout: the send timestamp (8 bytes, little-endian), then a known pattern that comes back unchanged only
    // if the server unmasked the frame (RFC 6455 §5.3) and echoed it byte for byte.
    private const int TimestampLength = sizeof(long);
    private const int CheckedLength = 16;

    private readonly byte[] _receiveBuffer;
    private readonly ReceivedMessageScanner _scanner = new(CheckedLength);
    private readonly MaskedFrameBlock _frames;
    private readonly byte[] _pattern;
    private readonly int _payloadLength;
    private readonly LatencyHistogram _latency;
    private readonly MeasurementWindow _window;
    private readonly SendGate _gate;
    private int _carry;
    private long _messages;
    private long _sent;

    // Messages owed to the server: echoes received whose replacement is not sent yet.
    private int _due;

    // The part of the frame block still to send when the kernel took only part of it.
    private int _pendingOffset;
    private int _pendingEnd;

    public EchoConnection(Socket socket, byte[] receiveBuffer, int initialBytes, byte[] payload, int inflight,
        LatencyHistogram latency, MeasurementWindow window, SendGate gate)
        : base(socket)
    {
        _receiveBuffer = receiveBuffer;
        _carry = initialBytes;
        _pattern = payload[..CheckedLength];
        _payloadLength = payload.Length;
        _frames = new MaskedFrameBlock(Opcode.Binary, payload, inflight);
        _latency = latency;
        _window = window;
        _gate = gate;
        _due = inflight;
    }

    /// <summary>Echoes received so far; read from any thread while the loop runs.</summary>
    public long Messages => Volatile.Read(ref _messages);

    /// <summary>Messages sent so far (handed to the socket, or queued behind an incomplete send); read from any thread.</summary>
    public long Sent => Volatile.Read(ref _sent);

    /// <summary>Sends the first window of messages; called on the loop thread or before the loop starts.</summary>
    public void Begin() => Flush();

    public override void OnReadable()
    {
        int read = Receive(_receiveBuffer.AsSpan(_carry));
        if (read == 0)
        {
            return;
        }

        _due += Consume(_carry + read);
        Flush();
    }

    public override void OnWritable()
    {
        _pendingOffset += Send(_frames.First(_frames.Count).Span[_pendingOffset.._pendingEnd]);
        if (_pendingOffset == _pendingEnd)
        {
            WatchWritable(false);
            Flush();
        }
    }

    // Sends every message owed, unless an earlier send is still incomplete (its bytes must not change under it) or
    // the run is draining.
    private void Flush()
    {
        if (_pendingOffset < _pendingEnd || _due == 0 || !_gate.IsOpen)
        {
            return;
        }

        int count = Math.Min(_due, _frames.Count);
        Span<byte> timestamp = stackalloc byte[TimestampLength];
        BinaryPrimitives.WriteInt64LittleEndian(timestamp, Stopwatch.GetTimestamp());
        for (int i = 0; i < count; i++)
        {
            _frames.Stamp(i, timestamp);
        }

        _due -= count;
        Volatile.Write(ref _sent, _sent + count);
        ReadOnlySpan<byte> frames = _frames.First(count).Span;
        int sent = Send(frames);
        if (sent < frames.Length)
        {
            _pendingOffset = sent;
            _pendingEnd = frames.Length;
            WatchWritable(true);
        }
    }

    // Parses every whole message in the buffer; returns how many echoes arrived, each one a message to send.
    private int Consume(int available)
    {
        ReadOnlySpan<byte> data = _receiveBuffer.AsSpan(0, available);
        long now = Stopwatch.GetTimestamp();
        bool recording = _window.IsOpen;
        int echoes = 0;
        while (_scanner.TryRead(ref data, out Opcode opcode, out long length, out ReadOnlySpan<byte> prefix))
        {
            if (opcode == Opcode.Binary)
            {
                if (length != _payloadLength || !prefix[TimestampLength..].SequenceEqual(_pattern.AsSpan(TimestampLength)))
                {
                    throw new BenchFailure(BenchErrorKind.Altered,
                        $"An echo of {length} bytes did not match the {_payloadLength}-byte message sent; the server altered it.");
                }

                if (recording)
                {
                    _latency.Record(now - BinaryPrimitives.ReadInt64LittleEndian(prefix));
                }

                echoes++;
            }
            else if (opcode == Opcode.Close)
            {
                throw new BenchFailure(BenchErrorKind.Closed, "The server sent a close frame in the middle of the run.");
            }
            else if (opcode == Opcode.Text)
            {
                throw new BenchFailure(BenchErrorKind.Altered, "The server answered a binary message with a text message.");
            }
        }

        // Only a partial frame header can be left over (see ReceivedMessageScanner).
        data.CopyTo(_receiveBuffer);
        _carry = data.Length;
        Volatile.Write(ref _messages, _messages + echoes);
        return echoes;
    }
}
