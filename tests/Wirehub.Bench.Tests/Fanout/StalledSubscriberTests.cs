using System.Net;
using System.Net.Sockets;
using Wirehub.Bench.Tests.Frames;
using Wirehub.Cli.Bench;
using Wirehub.Protocol;

namespace Wirehub.Bench.Tests.Fanout;

/// <summary>The end-of-run drain of stalled subscribers: each keeps its own unscanned bytes between drains.</summary>
public sealed class StalledSubscriberTests : IDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly List<Socket> _sockets = [];

    public StalledSubscriberTests()
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen();
    }

    // A connected pair: the subscriber's socket and the server's end that writes to it.
    private (Socket Subscriber, Socket Server) Pair()
    {
        Socket subscriber = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        subscriber.Connect(_listener.LocalEndPoint!);
        Socket server = _listener.Accept();
        _sockets.Add(subscriber);
        _sockets.Add(server);
        return (subscriber, server);
    }

    private static byte[] CloseFrame => ServerFrames.Frame(Opcode.Close, [0x03, 0xF0]);

    // Waits until the subscriber's kernel buffer has what the server end just sent.
    private static void Arrived(Socket subscriber, int bytes)
    {
        for (int i = 0; i < 500 && subscriber.Available < bytes; i++) Thread.Sleep(2);
    }

    [Fact]
    public void A_partial_header_kept_between_drains_is_not_overwritten_by_another_subscribers_bytes()
    {
        var (a, serverA) = Pair();
        var (b, serverB) = Pair();
        using var stalledA = new StalledSubscriber(a, []);
        using var stalledB = new StalledSubscriber(b, []);
        byte[] shared = new byte[64 * 1024];
        byte[] large = ServerFrames.Frame(Opcode.Binary, new byte[200]);
        byte[] next = ServerFrames.Text("second");

        // B is inside a frame's payload of zeros; A stops one byte into a frame header.
        serverB.Send(large[..104]);
        Arrived(b, 104);
        Assert.False(stalledB.DrainShowsClose(shared));
        serverA.Send([.. ServerFrames.Text("first"), next[0]]);
        Arrived(a, 8);
        Assert.False(stalledA.DrainShowsClose(shared));
        // B's zeros land at the start of the shared buffer: read in place of A's byte, they make a continuation frame.
        serverB.Send(large[104..]);
        Arrived(b, 100);
        Assert.False(stalledB.DrainShowsClose(shared));
        serverA.Send([.. next[1..], .. CloseFrame]);
        Arrived(a, next.Length - 1 + 4);

        Assert.True(stalledA.DrainShowsClose(shared));
    }

    [Fact]
    public void Frames_that_followed_the_subscribed_answer_are_scanned_first()
    {
        var (a, serverA) = Pair();
        byte[] message = ServerFrames.Text("pushed with the answer");
        byte[] close = CloseFrame;
        // The answer's read ended inside a message: its start was kept, the rest comes on the socket.
        using var stalled = new StalledSubscriber(a, message[..5]);
        serverA.Send([.. message[5..], .. close]);
        Arrived(a, message.Length - 5 + close.Length);

        Assert.True(stalled.DrainShowsClose(new byte[64 * 1024]));
    }

    [Fact]
    public void A_subscriber_whose_server_ended_the_stream_counts_as_closed()
    {
        var (a, serverA) = Pair();
        using var stalled = new StalledSubscriber(a, []);
        serverA.Shutdown(SocketShutdown.Send);
        for (int i = 0; i < 500 && !a.Poll(1000, SelectMode.SelectRead); i++) { }

        Assert.True(stalled.DrainShowsClose(new byte[1024]));
    }

    public void Dispose()
    {
        foreach (var socket in _sockets) socket.Dispose();
        _listener.Dispose();
    }
}
