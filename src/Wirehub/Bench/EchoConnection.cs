using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using Wirehub.Protocol;

namespace Wirehub.Cli.Bench;

/// <summary>
/// One echo client: keeps a fixed number of binary messages in flight, and for every echo that arrives sends one new
/// message, batched into a single send per receive.
/// </summary>
internal sealed class EchoConnection
{
    // Payload layout: the send timestamp (8 bytes, little-endian), then a known pattern that comes back unchanged only
    // if the server unmasked the frame (RFC 6455 §5.3) and echoed it byte for byte.
    private const int TimestampLength = sizeof(long);
    private const int CheckedLength = 16;

    private readonly Socket _socket;
    private readonly byte[] _receiveBuffer;
    private readonly ReceivedMessageScanner _scanner = new(CheckedLength);
    private readonly MaskedFrameBlock _frames;
    private readonly byte[] _pattern;
    private readonly int _inflight;
    private readonly LatencyHistogram _latency;
    private readonly MeasurementWindow _window;
    private int _carry;

    public EchoConnection(Socket socket, byte[] receiveBuffer, int initialBytes, ReadOnlySpan<byte> payload, int inflight,
        LatencyHistogram latency, MeasurementWindow window)
    {
        _socket = socket;
        _receiveBuffer = receiveBuffer;
        _carry = initialBytes;
        _pattern = payload[..Math.Min(CheckedLength, payload.Length)].ToArray();
        _frames = new MaskedFrameBlock(Opcode.Binary, payload, inflight);
        _inflight = inflight;
        _latency = latency;
        _window = window;
        PayloadLength = payload.Length;
    }

    public int PayloadLength { get; }

    /// <summary>Echoes received so far; read from any thread while the loop runs.</summary>
    public long Messages => Volatile.Read(ref _messages);

    private long _messages;

    /// <summary>Why the connection stopped before the end of the run, if it did.</summary>
    public string? Failure { get; private set; }

    public async Task RunAsync()
    {
        try
        {
            Stamp(_inflight);
            await _socket.SendAsync(_frames.First(_inflight), SocketFlags.None);
            while (true)
            {
                int read = await _socket.ReceiveAsync(_receiveBuffer.AsMemory(_carry), SocketFlags.None);
                if (read == 0)
                {
                    throw new InvalidDataException("The server closed the connection in the middle of the run.");
                }

                int due = Consume(_carry + read);
                if (due > 0)
                {
                    Stamp(due);
                    await _socket.SendAsync(_frames.First(due), SocketFlags.None);
                }
            }
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException or InvalidDataException)
        {
            if (!_window.IsStopping)
            {
                Failure = exception.Message;
            }
        }
    }

    public void Close() => _socket.Dispose();

    private void Stamp(int count)
    {
        Span<byte> timestamp = stackalloc byte[TimestampLength];
        BinaryPrimitives.WriteInt64LittleEndian(timestamp, Stopwatch.GetTimestamp());
        for (int i = 0; i < count; i++)
        {
            _frames.Stamp(i, timestamp);
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
                if (length != PayloadLength || !prefix[TimestampLength..].SequenceEqual(_pattern.AsSpan(TimestampLength)))
                {
                    throw new InvalidDataException(
                        $"An echo of {length} bytes did not match the {PayloadLength}-byte message sent; the server altered it.");
                }

                if (recording)
                {
                    _latency.Record(now - BinaryPrimitives.ReadInt64LittleEndian(prefix));
                }

                echoes++;
            }
            else if (opcode == Opcode.Close)
            {
                throw new InvalidDataException("The server sent a close frame in the middle of the run.");
            }
            else if (opcode == Opcode.Text)
            {
                throw new InvalidDataException("The server answered a binary message with a text message.");
            }
        }

        // Only a partial frame header can be left over (see ReceivedMessageScanner).
        data.CopyTo(_receiveBuffer);
        _carry = data.Length;
        Volatile.Write(ref _messages, _messages + echoes);
        return echoes;
    }
}
