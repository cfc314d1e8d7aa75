using System.Diagnostics;
using System.Net.Sockets;
using Wirehub.Protocol;

namespace Wirehub.Cli.Bench;

/// <summary>
/// Publishes the fan-out benchmark's messages at a paced rate, on a thread of its own: message i of a step is due at
/// i / rate seconds into it; every millisecond or so, all messages that have come due leave in one send, each a
/// <c>publish</c> request with its own id, stamped with the time it actually left.
/// </summary>
internal sealed class FanoutPublisher
{
    // The most messages one send carries; a publisher that fell this far behind sends several batches in a row.
    private const int BatchCapacity = 256;

    // How long to wait for room in the socket's send buffer before trying again.
    private const int WritableWaitMicroseconds = 1000;

    private readonly Socket _socket;
    private readonly MaskedFrameBlock _frames;
    private long _nextId = 3;

    /// <param name="socket">The publisher's connected socket; its receiving side belongs to the event loop.</param>
    /// <param name="channel">The channel published to.</param>
    /// <param name="dataSize">Characters of each message's data string.</param>
    public FanoutPublisher(Socket socket, string channel, int dataSize)
    {
        _socket = socket;
        _frames = new MaskedFrameBlock(Opcode.Text, FanoutPayload.CreateTemplate(channel, dataSize), BatchCapacity);
    }

    /// <summary>Publish requests sent so far (probes included): the acks to expect.</summary>
    public long Published => Volatile.Read(ref _nextId) - 3;

    /// <summary>Publishes one probe message, which subscribers note but do not count.</summary>
    public void SendProbe()
    {
        Stamp(1, BroadcastPayload.ProbeStep);
        SendAll(_frames.First(1).Span);
    }

    /// <summary>Publishes <paramref name="rate"/> messages per second for <paramref name="duration"/>, blocking.</summary>
    /// <returns>How many messages the step published: rate × duration, rounded up.</returns>
    public long RunStep(int step, int rate, TimeSpan duration)
    {
        long total = (long)Math.Ceiling(rate * duration.TotalSeconds);
        long sent = 0;
        long start = Stopwatch.GetTimestamp();
        while (sent < total)
        {
            double elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
            long due = Math.Min(total, (long)(rate * elapsed) + 1) - sent;
            while (due > 0)
            {
                int batch = (int)Math.Min(due, BatchCapacity);
                Stamp(batch, step);
                SendAll(_frames.First(batch).Span);
                sent += batch;
                due -= batch;
            }

            if (sent < total)
            {
                Thread.Sleep(1);
            }
        }

        return sent;
    }

    private void SendAll(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            int sent = _socket.Send(data, SocketFlags.None, out SocketError error);
            if (error == SocketError.WouldBlock)
            {
                _socket.Poll(WritableWaitMicroseconds, SelectMode.SelectWrite);
                continue;
            }

            if (error != SocketError.Success)
            {
                throw new SocketException((int)error);
            }

            data = data[sent..];
        }
    }

    // Ids 1 and 2 went to connect and subscribe; every publish gets the next, so each pending request's id is unique.
    private void Stamp(int count, int step)
    {
        Span<byte> head = stackalloc byte[FanoutPayload.HeadLength];
        long now = Stopwatch.GetTimestamp();
        for (int i = 0; i < count; i++)
        {
            FanoutPayload.WriteHead(head, _nextId + i, now, step);
            _frames.Stamp(i, head);
        }

        Volatile.Write(ref _nextId, _nextId + count);
    }
}
