using System.Diagnostics;

namespace Wirehub.Cli.Bench;

/// <summary>
/// One sender, many receivers: the first client sends text messages at rising rates, the server relays each to every
/// client (the sender included), and every client counts and times what it receives.
/// </summary>
internal sealed class BroadcastScenario(
    BenchRun run, int clients, int[] rates, TimeSpan step, int size, TimeSpan settle, TimeSpan stopAboveP99, TimeSpan p99Limit)
{
    private const int ReceiveBufferSize = 16 * 1024;
    private static readonly TimeSpan s_probeInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan s_probeTimeout = TimeSpan.FromSeconds(30);

    public async Task<BenchReport> RunAsync(CancellationToken cancellation)
    {
        UpgradeRequest request = new(run.Target);
        LatencyHistogram[] latencyByStep = Array.ConvertAll(rates, _ => new LatencyHistogram());
        ConnectionOpener opener = new(run.Target, request);
        using SocketEventLoop loop = new(run.Errors);
        BroadcastReceiver[] receivers = [];
        await using RunSampler sampler = run.StartSampler("deliveries/s", "connecting", () =>
        {
            long delivered = SumDelivered(receivers);
            return new CounterReading(receivers.Length == 0 ? opener.Opened : loop.Open, delivered, delivered * size, run.Errors.Total);
        }, latencyByStep);

        receivers = await Task.Run(() => opener.OpenAll(clients, ReceiveBufferSize,
            (socket, buffer, initial) => new BroadcastReceiver(socket, buffer, initial, latencyByStep)), cancellation);
        try
        {
            foreach (BroadcastReceiver receiver in receivers)
            {
                loop.Add(receiver);
            }

            loop.Start();
            BroadcastSender sender = new(receivers[0].Socket, size);

            // Pacing sleeps and blocks, so it gets a thread of its own rather than a pool thread.
            CpuMeter cpu = new(run.ServerPid);
            (List<BroadcastStep> steps, CpuUsage usage) = await Task.Factory.StartNew(
                () => RunSteps(sender, receivers, latencyByStep, sampler, cpu, cancellation),
                cancellation, TaskCreationOptions.LongRunning, TaskScheduler.Default);

            sampler.Phase = "settle";
            TimeSpan settled = await SettleAsync(steps, receivers, cancellation);
            long totalLost = 0;
            for (int i = 0; i < steps.Count; i++)
            {
                long lost = 0;
                foreach (BroadcastReceiver receiver in receivers)
                {
                    lost += Math.Max(0, steps[i].Sent - receiver.ReceivedIn(i));
                }

                steps[i].Lost = lost;
                totalLost += lost;
            }

            run.Errors.Record(BenchErrorKind.Lost,
                $"{totalLost} deliveries had not arrived {settle.TotalSeconds:0.###} s after the last step.", totalLost);
            await sampler.StopAsync();

            LatencyHistogram latency = new();
            foreach (BroadcastStep done in steps)
            {
                latency.Add(done.Latency);
            }

            long sent = steps.Sum(s => s.Sent);
            long received = SumDelivered(receivers);
            long measured = steps.Sum(s => s.Deliveries);
            return new BenchReport(run, "broadcast")
            {
                Parameters =
                [
                    new("clients", clients),
                    new("rates", rates),
                    new("stepSeconds", step.TotalSeconds),
                    new("size", size),
                    new("settleSeconds", settle.TotalSeconds),
                    new("p99LimitMs", p99Limit.TotalMilliseconds),
                    new("stopAboveP99Ms", stopAboveP99.TotalMilliseconds),
                ],
                Connections = clients,
                Unit = "deliveries",
                MessagesSent = sent,
                MessagesReceived = received,
                MessagesExpected = sent * clients,
                BytesReceived = received * size,
                MeasuredSeconds = steps.Sum(s => s.Seconds),
                MeasuredMessages = measured,
                MeasuredBytes = measured * size,
                Latency = latency,
                LatencyName = "delivery",
                Cpu = usage,
                Series = sampler.Series,
                Details = new BroadcastDetails(clients, size, rates, step, steps, settled, p99Limit),
            };
        }
        finally
        {
            loop.Stop();
            foreach (BroadcastReceiver receiver in receivers)
            {
                receiver.Socket.Dispose();
            }
        }
    }

    // Runs the steps; returns them with the CPU use over all of them.
    private (List<BroadcastStep> Steps, CpuUsage Cpu) RunSteps(BroadcastSender sender, BroadcastReceiver[] receivers,
        LatencyHistogram[] latencyByStep, RunSampler sampler, CpuMeter overall, CancellationToken cancellation)
    {
        sampler.Phase = "probing";
        Probe(sender, receivers, cancellation);
        List<BroadcastStep> steps = [];
        CpuMeter cpu = new(run.ServerPid);
        overall.Start();
        for (int i = 0; i < rates.Length && !cancellation.IsCancellationRequested; i++)
        {
            sampler.Phase = $"step {rates[i]}/s";
            long deliveredBefore = SumDelivered(receivers);
            long start = Stopwatch.GetTimestamp();
            cpu.Start();
            long sent = sender.RunStep(i, rates[i], step);
            CpuUsage usage = cpu.Stop();
            double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            steps.Add(new BroadcastStep(rates[i], sent, seconds, SumDelivered(receivers) - deliveredBefore, latencyByStep[i], usage));
            if (stopAboveP99 > TimeSpan.Zero
                && latencyByStep[i].ValueAtPercentile(99) > stopAboveP99.TotalSeconds * Stopwatch.Frequency)
            {
                break;
            }
        }

        return (steps, overall.Stop());
    }

    // The server may list a client only after its 101 response has left, so probes go out until every client has had
    // one; from then on every message must reach every client.
    private static void Probe(BroadcastSender sender, BroadcastReceiver[] receivers, CancellationToken cancellation)
    {
        long start = Stopwatch.GetTimestamp();
        while (!cancellation.IsCancellationRequested)
        {
            sender.SendProbe();
            Thread.Sleep(s_probeInterval);
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
