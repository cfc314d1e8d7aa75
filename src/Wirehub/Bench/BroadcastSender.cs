using System.Diagnostics;
using System.Net.Sockets;
using Wirehub.Protocol;

namespace Wirehub.Cli.Bench;

/// <summary>
/// Sends the broadcast's text messages at a paced rate, on a thread of its own. Message i of a step is due at i / rate
/// seconds into it; every millisecond or so, all messages that have come due leave in one send, stamped with the time
/// they actually left.
/// </summary>
internal sealed class BroadcastSender
{
    // The most messages one send carries; a sender that fell this far behind sends several batches in a row.
    private const int BatchCapacity = 256;

    // How long to wait for room in the socket's send buffer before trying again.
    private const int WritableWaitMicroseconds = 1000;

    private readonly Socket _socket;
    private readonly MaskedFrameBlock _frames;

    /// <param name="socket">The first client's socket, non-blocking; its receiving side belongs to the event loop.</param>
    /// <param name="size">The payload size of each message.</param>
    public BroadcastSender(Socket socket, int size)
    {
        _socket = socket;
        _frames = new MaskedFrameBlock(Opcode.Text, BroadcastPayload.CreateTemplate(size), BatchCapacity);
    }

    /// <summary>Sends one probe message, which receivers note but do not count.</summary>
    public void SendProbe()
    {
        Stamp(1, BroadcastPayload.ProbeStep);
        SendAll(_frames.First(1).Span);
    }

    /// <summary>Sends <paramref name="rate"/> messages per second for <paramref name="duration"/>, blocking.</summary>
    /// <returns>How many messages the step sent: rate × duration, rounded up.</returns>
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

    private void Stamp(int count, int step)
    {
        Span<byte> stamp = stackalloc byte[BroadcastPayload.StampLength];
        BroadcastPayload.Write(stamp, Stopwatch.GetTimestamp(), step);
        for (int i = 0; i < count; i++)
        {
            _frames.Stamp(i, stamp);
        }
    }
}
