using System.Diagnostics;

namespace Wirehub.Cli.Bench;

/// <summary>
/// One sender, many receivers: the first client sends text messages at rising rates, the server relays each to every
/// client (the sender included), and every client counts and times what it receives.
/// </summary>
internal sealed class BroadcastScenario(
    BenchTarget target, int clients, int[] rates, TimeSpan step, int size, TimeSpan settle, TimeSpan stopAboveP99,
    TimeSpan p99Limit, int? serverPid)
{
    private const int OpenConcurrency = 64;
    private const int ReceiveBufferSize = 16 * 1024;
    private static readonly TimeSpan s_probeInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan s_probeTimeout = TimeSpan.FromSeconds(30);

    public async Task<BroadcastReport> RunAsync(CancellationToken cancellation)
    {
        UpgradeRequest request = new(target);
        MeasurementWindow window = new();
        LatencyHistogram[] latencyByStep = Array.ConvertAll(rates, _ => new LatencyHistogram());
        BroadcastReceiver[] receivers = new BroadcastReceiver[clients];
        await Parallel.ForAsync(0, clients,
            new ParallelOptions { MaxDegreeOfParallelism = OpenConcurrency, CancellationToken = cancellation },
            async (i, token) =>
            {
                byte[] buffer = new byte[ReceiveBufferSize];
                (System.Net.Sockets.Socket socket, int initial) = await ClientHandshake.OpenAsync(target, request, buffer, token);
                receivers[i] = new BroadcastReceiver(socket, buffer, initial, latencyByStep, window);
            });

        Task[] loops = Array.ConvertAll(receivers, receiver => Task.Run(receiver.RunAsync, CancellationToken.None));
        BroadcastSender sender = new(receivers[0].Socket, size);
        try
        {
            await ProbeAsync(sender, receivers, cancellation);
            List<BroadcastStep> steps = [];
            CpuMeter cpu = new(serverPid);
            for (int i = 0; i < rates.Length; i++)
            {
                long deliveredBefore = SumDelivered(receivers);
                long start = Stopwatch.GetTimestamp();
                cpu.Start();
                long sent = await sender.RunStepAsync(i, rates[i], step, cancellation);
                CpuUsage usage = cpu.Stop();
                double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
                steps.Add(new BroadcastStep(rates[i], sent, seconds, SumDelivered(receivers) - deliveredBefore, latencyByStep[i], usage));
                if (stopAboveP99 > TimeSpan.Zero && latencyByStep[i].ValueAtPercentile(99) > stopAboveP99.TotalSeconds * Stopwatch.Frequency)
                {
                    break;
                }
            }

            TimeSpan settled = await SettleAsync(steps, receivers, cancellation);
            foreach ((BroadcastStep result, int i) in steps.Select((s, i) => (s, i)))
            {
                long lost = 0;
                foreach (BroadcastReceiver receiver in receivers)
                {
                    lost += Math.Max(0, result.Sent - receiver.ReceivedIn(i));
                }

                result.Lost = lost;
            }

            return new BroadcastReport(target, serverPid, clients, size, rates, step, steps, settled, p99Limit,
                failures: Array.FindAll(receivers, r => r.Failure is not null).Length,
                firstFailure: Array.Find(receivers, r => r.Failure is not null)?.Failure);
        }
        finally
        {
            window.Stop();
            foreach (BroadcastReceiver receiver in receivers)
            {
                receiver.Close();
            }

            await Task.WhenAll(loops);
        }
    }

    // The server may list a client only after its 101 response has left, so probes go out until every client has had
    // one; from then on every message must reach every client.
    private static async Task ProbeAsync(BroadcastSender sender, BroadcastReceiver[] receivers, CancellationToken cancellation)
    {
        long start = Stopwatch.GetTimestamp();
        while (true)
        {
            await sender.SendProbeAsync();
            await Task.Delay(s_probeInterval, cancellation);
            int missing = Array.FindAll(receivers, r => !r.Probed).Length;
            if (missing == 0)
            {
                return;
            }

            if (Stopwatch.GetElapsedTime(start) > s_probeTimeout)
            {
                throw new TimeoutException(
                    $"{missing} of {receivers.Length} clients received none of the probe messages in {s_probeTimeout.TotalSeconds:F0} s; "
                    + "the server must send each text message to every connected client, the sender included.");
            }
        }
    }

    // Waits until every client has every message, or the settle time is up; returns how long that took.
    private async Task<TimeSpan> SettleAsync(List<BroadcastStep> steps, BroadcastReceiver[] receivers, CancellationToken cancellation)
    {
        long expected = steps.Sum(s => s.Sent) * receivers.Length;
        long start = Stopwatch.GetTimestamp();
        while (SumDelivered(receivers) < expected && Stopwatch.GetElapsedTime(start) < settle)
        {
            await Task.Delay(50, cancellation);
        }

        return Stopwatch.GetElapsedTime(start);
    }

    private static long SumDelivered(BroadcastReceiver[] receivers)
    {
        long total = 0;
        foreach (BroadcastReceiver receiver in receivers)
        {
            total += receiver.Delivered;
        }

        return total;
    }
}
