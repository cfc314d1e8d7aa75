using System.Diagnostics;
using System.Net.Sockets;

namespace Wirehub.Cli.Bench;

/// <summary>
/// Subscribers that stop reading once subscribed, as a frozen client would: the server's send queue for each one fills
/// until it closes the connection as a slow consumer (1008). They run beside the measured subscribers to show whether
/// their backlog holds the others back.
/// </summary>
internal sealed class StalledSubscribers : IDisposable
{
    // The smallest window and segments the kernel allows, so that the kernel buffers on both sides of a stalled
    // subscriber hold a few kilobytes rather than the megabytes loopback allows, and the server's own queues are what
    // fill (the send buffer the server's kernel gives a connection grows with its segment size).
    private const int ReceiveBufferSize = 1;
    private const int MaxSegmentSize = 88;
    private const int TcpProtocolLevel = 6;
    private const int TcpMaxSegOption = 2;

    // How long the check at the end waits for close frames the server queued behind what it had already sent.
    private static readonly TimeSpan s_closeGrace = TimeSpan.FromSeconds(2);

    private readonly StalledSubscriber[] _subscribers;

    private StalledSubscribers(StalledSubscriber[] subscribers) => _subscribers = subscribers;

    public int Count => _subscribers.Length;

    /// <summary>Opens <paramref name="count"/> subscribers and reads each one's answers up to <c>subscribed</c>, then stops.</summary>
    public static StalledSubscribers Open(BenchTarget target, UpgradeRequest request, string channel, int count)
    {
        StalledSubscriber?[] subscribers = new StalledSubscriber?[count];
        byte[] subscribe = RealtimeRequestFrames.ConnectAndSubscribe(channel);
        try
        {
            for (int i = 0; i < count; i++)
            {
                byte[] buffer = new byte[ClientHandshake.MinimumBufferSize];
                (Socket socket, int initial) = Connect(target, request, buffer);
                try
                {
                    socket.Send(subscribe);
                    // Pushes may follow the answer in the same read: they are the start of what the drain scans.
                    int following = RealtimeAnswer.Await(socket, buffer, initial, "subscribed");
                    subscribers[i] = new StalledSubscriber(socket, buffer.AsSpan(0, following).ToArray());
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            }
        }
        catch
        {
            foreach (StalledSubscriber? subscriber in subscribers)
            {
                subscriber?.Dispose();
            }

            throw;
        }

        return new StalledSubscribers(subscribers!);
    }

    /// <summary>
    /// Reads what each stalled subscriber has been sent, and counts those the server has closed: a close frame, an end
    /// of stream or a reset.
    /// </summary>
    public int ClosedByServer()
    {
        byte[] drain = new byte[64 * 1024];
        bool[] closed = new bool[_subscribers.Length];
        long start = Stopwatch.GetTimestamp();
        while (true)
        {
            for (int i = 0; i < _subscribers.Length; i++)
            {
                if (!closed[i])
                {
                    closed[i] = _subscribers[i].DrainShowsClose(drain);
                }
            }

            if (Array.TrueForAll(closed, c => c) || Stopwatch.GetElapsedTime(start) > s_closeGrace)
            {
                return closed.Count(c => c);
            }

            Thread.Sleep(50);
        }
    }

    public void Dispose()
    {
        foreach (StalledSubscriber subscriber in _subscribers)
        {
            subscriber.Dispose();
        }
    }

    // The opening handshake on a socket tuned before it connects (a window and segment size only apply from the start).
    private static (Socket Socket, int FrameBytes) Connect(BenchTarget target, UpgradeRequest request, byte[] buffer)
    {
        Socket socket = new(target.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
        {
            NoDelay = true,
            ReceiveBufferSize = ReceiveBufferSize,
        };
        try
        {
            if (OperatingSystem.IsLinux())
            {
                socket.SetRawSocketOption(TcpProtocolLevel, TcpMaxSegOption, BitConverter.GetBytes(MaxSegmentSize));
            }

            socket.Connect(target.EndPoint);
            socket.Send(request.Bytes);
            int received = 0;
            while (true)
            {
                if (received == buffer.Length)
                {
                    throw new BenchFailure(BenchErrorKind.Handshake,
                        $"The server's handshake response is longer than {buffer.Length} bytes without ending.");
                }

                int read = socket.Receive(buffer.AsSpan(received));
                if (read == 0)
                {
                    throw new BenchFailure(BenchErrorKind.Handshake, "The server closed a stalled subscriber's connection during the handshake.");
                }

                received += read;
                int head = request.CheckResponse(buffer.AsSpan(0, received));
                if (head > 0)
                {
                    buffer.AsSpan(head, received - head).CopyTo(buffer);
                    return (socket, received - head);
                }
            }
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
