using System.Diagnostics;
using System.Net.Sockets;
using Wirehub.Protocol;

namespace Wirehub.Cli.Bench;

/// <summary>
/// Sends the broadcast's text messages at a paced rate. Message i of a step is due at i / rate seconds into it; each
/// millisecond tick sends every message that has come due in one send, stamped with the time it actually left.
/// </summary>
internal sealed class BroadcastSender
{
    // The most messages one send carries; a sender that fell this far behind sends several batches in a row.
    private const int BatchCapacity = 256;

    private readonly Socket _socket;
    private readonly MaskedFrameBlock _frames;

    public BroadcastSender(Socket socket, int size)
    {
        _socket = socket;
        _frames = new MaskedFrameBlock(Opcode.Text, BroadcastPayload.CreateTemplate(size), BatchCapacity);
    }

    /// <summary>Sends one probe message, which receivers note but do not count.</summary>
    public async Task SendProbeAsync()
    {
        Stamp(1, BroadcastPayload.ProbeStep);
        await _socket.SendAsync(_frames.First(1), SocketFlags.None);
    }

    /// <summary>Sends <paramref name="rate"/> messages per second for <paramref name="duration"/>.</summary>
    /// <returns>How many messages the step sent: rate × duration, rounded up.</returns>
    public async Task<long> RunStepAsync(int step, int rate, TimeSpan duration, CancellationToken cancellation)
    {
        long total = (long)Math.Ceiling(rate * duration.TotalSeconds);
        long sent = 0;
        long start = Stopwatch.GetTimestamp();
        using PeriodicTimer tick = new(TimeSpan.FromMilliseconds(1));
        while (sent < total)
        {
            double elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
            long due = Math.Min(total, (long)(rate * elapsed) + 1) - sent;
            while (due > 0)
            {
                int batch = (int)Math.Min(due, BatchCapacity);
                Stamp(batch, step);
                await _socket.SendAsync(_frames.First(batch), SocketFlags.None, cancellation);
                sent += batch;
                due -= batch;
            }

            if (sent < total)
            {
                await tick.WaitForNextTickAsync(cancellation);
            }
        }

        return sent;
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
