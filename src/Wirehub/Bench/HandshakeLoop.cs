using System.Diagnostics;
using System.Runtime.InteropServices;
using Wirehub.Protocol;

namespace Wirehub.Cli.Bench;

/// <summary>
/// Runs connection lifetimes back to back on one thread: a fixed number of slots, each cycling through connect,
/// upgrade (RFC 6455 §4.1), close frame both ways and the server's FIN (§7.1.1), driven by epoll on bare descriptors.
/// </summary>
internal sealed unsafe class HandshakeLoop
{
    private const int EventCapacity = 256;
    private const int WaitMilliseconds = 10;

    // A slot whose server stops answering is failed after this long; one that failed waits a little before
    // reconnecting, so a server that refuses connections is not hammered in a tight loop.
    private static readonly long s_cycleTimeout = Stopwatch.Frequency * 5;
    private static readonly long s_retryDelay = Stopwatch.Frequency / 100;
    private static readonly long s_sweepInterval = Stopwatch.Frequency / 10;

    private readonly byte[] _address;
    private readonly UpgradeRequest _request;
    private readonly LatencyHistogram _upgrade;
    private readonly MeasurementWindow _window;
    private readonly ErrorTally _errors;
    private readonly Slot[] _slots;
    private readonly int _epoll = Epoll.Create();
    private Thread? _thread;
    private volatile bool _stopping;
    private long _completed;

    public HandshakeLoop(BenchTarget target, UpgradeRequest request, int concurrency, LatencyHistogram upgrade,
        MeasurementWindow window, ErrorTally errors)
    {
        _errors = errors;
        _address = LibcSocket.CreateAddress(target.EndPoint);
        _request = request;
        _upgrade = upgrade;
        _window = window;
        _slots = new Slot[concurrency];
        for (int i = 0; i < concurrency; i++)
        {
            _slots[i] = new Slot(i);
        }
    }

    private enum Phase
    {
        Connecting,
        AwaitingResponse,
        AwaitingClose,
        AwaitingEnd,
        Waiting,
    }

    /// <summary>Connection lifetimes completed so far; read from any thread.</summary>
    public long Completed => Volatile.Read(ref _completed);

    public void Start()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "bench handshake loop" };
        _thread.Start();
    }

    /// <summary>Stops, waits for the thread, and closes every open descriptor.</summary>
    public void Stop()
    {
        _stopping = true;
        _thread?.Join();
        Epoll.Close(_epoll);
    }

    private void Run()
    {
        byte* events = (byte*)NativeMemory.Alloc((nuint)(EventCapacity * Epoll.EventSize));
        try
        {
            foreach (Slot slot in _slots)
            {
                Begin(slot);
            }

            long lastSweep = Stopwatch.GetTimestamp();
            while (!_stopping)
            {
                int count = Epoll.Wait(_epoll, events, EventCapacity, WaitMilliseconds);
                for (int i = 0; i < count; i++)
                {
                    Advance(_slots[(int)Epoll.DataAt(events, i)]);
                }

                long now = Stopwatch.GetTimestamp();
                if (now - lastSweep > s_sweepInterval)
                {
                    Sweep(now);
                    lastSweep = now;
                }
            }
        }
        finally
        {
            NativeMemory.Free(events);
            foreach (Slot slot in _slots)
            {
                CloseDescriptor(slot);
            }
        }
    }

    private void Begin(Slot slot)
    {
        try
        {
            slot.Fd = LibcSocket.StartConnect(_address);
            slot.Phase = Phase.Connecting;
            slot.Started = Stopwatch.GetTimestamp();
            slot.Received = 0;
            slot.Scanner.Reset();
            Epoll.Add(_epoll, slot.Fd, Epoll.Out, (ulong)slot.Index);
        }
        catch (IOException exception)
        {
            Fail(slot, BenchErrorKind.Connect, exception.Message);
        }
    }

    private void Advance(Slot slot)
    {
        try
        {
            switch (slot.Phase)
            {
                case Phase.Connecting:
                    int error = LibcSocket.ConnectResult(slot.Fd);
                    if (error != 0)
                    {
                        throw new BenchFailure(BenchErrorKind.Connect, $"connect() failed with errno {error}; is the server listening?");
                    }

                    // The request is far smaller than an empty socket's send buffer, so one send takes all of it.
                    if (LibcSocket.Send(slot.Fd, _request.Bytes) != _request.Bytes.Length)
                    {
                        throw new BenchFailure(BenchErrorKind.Socket, "The upgrade request could not be sent in one piece.");
                    }

                    Epoll.Modify(_epoll, slot.Fd, Epoll.In, (ulong)slot.Index);
                    slot.Phase = Phase.AwaitingResponse;
                    break;
                case Phase.AwaitingResponse:
                    if (ReceiveMore(slot) && TakeResponse(slot))
                    {
                        ScanForClose(slot);
                    }

                    break;
                case Phase.AwaitingClose:
                    if (ReceiveMore(slot))
                    {
                        ScanForClose(slot);
                    }

                    break;
                case Phase.AwaitingEnd:
                    int read = LibcSocket.Receive(slot.Fd, slot.Buffer);
                    if (read == 0)
                    {
                        Complete(slot);
                    }
                    else if (read < 0 && read != -LibcSocket.WouldBlock)
                    {
                        throw new BenchFailure(BenchErrorKind.Socket, $"recv() failed with errno {-read} while waiting for the server's FIN.");
                    }

                    break;
            }
        }
        catch (IOException exception)
        {
            Fail(slot, ErrorTally.KindOf(exception), exception.Message);
        }
    }

    // Reads what is waiting after the bytes kept so far; false when nothing was.
    private static bool ReceiveMore(Slot slot)
    {
        if (slot.Received == slot.Buffer.Length)
        {
            throw new BenchFailure(BenchErrorKind.Handshake,
                $"The server's handshake response is longer than {slot.Buffer.Length} bytes without ending; "
                + "check that the URL points at a WebSocket endpoint.");
        }

        int read = LibcSocket.Receive(slot.Fd, slot.Buffer.AsSpan(slot.Received));
        if (read == -LibcSocket.WouldBlock)
        {
            return false;
        }

        if (read <= 0)
        {
            throw (read, slot.Phase) switch
            {
                (0, Phase.AwaitingResponse) => new BenchFailure(BenchErrorKind.Handshake,
                    "The server closed the connection during the opening handshake; check its log and its connection limits."),
                (0, _) => new BenchFailure(BenchErrorKind.Closed,
                    "The server closed the connection before its close frame (RFC 6455 §7.1.1)."),
                _ => new BenchFailure(BenchErrorKind.Socket, $"recv() failed with errno {-read}."),
            };
        }

        slot.Received += read;
        return true;
    }

    // Checks the 101 once it is complete, then answers with the client's close frame; true when that happened.
    private bool TakeResponse(Slot slot)
    {
        int headLength = _request.CheckResponse(slot.Buffer.AsSpan(0, slot.Received));
        if (headLength == 0)
        {
            return false;
        }

        slot.Upgraded = Stopwatch.GetTimestamp();
        slot.Buffer.AsSpan(headLength, slot.Received - headLength).CopyTo(slot.Buffer);
        slot.Received -= headLength;
        if (LibcSocket.Send(slot.Fd, ClientCloseFrame.Bytes.Span) != ClientCloseFrame.Bytes.Length)
        {
            throw new BenchFailure(BenchErrorKind.Socket, "The close frame could not be sent in one piece.");
        }

        slot.Phase = Phase.AwaitingClose;
        return true;
    }

    private static void ScanForClose(Slot slot)
    {
        ReadOnlySpan<byte> data = slot.Buffer.AsSpan(0, slot.Received);
        while (slot.Scanner.TryRead(ref data, out Opcode opcode, out _, out _))
        {
            if (opcode == Opcode.Close)
            {
                // Anything after the close frame is of no interest; only the end of the stream is awaited.
                slot.Phase = Phase.AwaitingEnd;
                slot.Received = 0;
                return;
            }
        }

        data.CopyTo(slot.Buffer);
        slot.Received = data.Length;
    }

    private void Complete(Slot slot)
    {
        if (_window.IsOpen)
        {
            _upgrade.Record(slot.Upgraded - slot.Started);
        }

        Volatile.Write(ref _completed, _completed + 1);
        CloseDescriptor(slot);
        Begin(slot);
    }

    private void Fail(Slot slot, BenchErrorKind kind, string reason)
    {
        CloseDescriptor(slot);
        _errors.Record(kind, reason);
        slot.Phase = Phase.Waiting;
        slot.Started = Stopwatch.GetTimestamp();
    }

    private void Sweep(long now)
    {
        foreach (Slot slot in _slots)
        {
            if (slot.Phase == Phase.Waiting)
            {
                if (now - slot.Started > s_retryDelay)
                {
                    Begin(slot);
                }
            }
            else if (now - slot.Started > s_cycleTimeout)
            {
                Fail(slot, BenchErrorKind.Timeout, $"A handshake and close took longer than {s_cycleTimeout / Stopwatch.Frequency} s.");
            }
        }
    }

    private static void CloseDescriptor(Slot slot)
    {
        if (slot.Fd >= 0)
        {
            LibcSocket.Close(slot.Fd);
            slot.Fd = -1;
        }
    }

    private sealed class Slot(int index)
    {
        public int Index { get; } = index;

        public byte[] Buffer { get; } = new byte[ClientHandshake.MinimumBufferSize];

        public ReceivedMessageScanner Scanner { get; } = new(prefixLength: 2);

        public int Fd { get; set; } = -1;

        public Phase Phase { get; set; }

        public long Started { get; set; }

        public long Upgraded { get; set; }

        public int Received { get; set; }
    }
}
