using System.Diagnostics;

namespace Wirehub.Cli.Bench;

/// <summary>
/// One publisher, many subscribers of one channel over <c>wirehub.v1</c>: the publisher publishes at rising rates, the
/// server fans each message out to every subscriber, and every subscriber counts what it receives and times it from
/// publish to delivery. Optional stalled subscribers stop reading once subscribed.
/// </summary>
internal sealed class FanoutScenario(
    BenchRun run, int subscribers, int stalled, string channel, int[] rates, TimeSpan step, int size, TimeSpan settle,
    TimeSpan stopAboveP99, TimeSpan p99Limit)
{
    private const int ReceiveBufferSize = 16 * 1024;
    private static readonly TimeSpan s_readyInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan s_readyTimeout = TimeSpan.FromSeconds(60);

    public async Task<BenchReport> RunAsync(CancellationToken cancellation)
    {
        UpgradeRequest request = new(run.Target, RealtimeRequestFrames.Subprotocol);
        LatencyHistogram[] latencyByStep = Array.ConvertAll(rates, _ => new LatencyHistogram());
        ConnectionOpener opener = new(run.Target, request);
        using SocketEventLoop loop = new(run.Errors);
        FanoutSubscriber[] receivers = [];
        await using RunSampler sampler = run.StartSampler("deliveries/s", "connecting", () =>
        {
            long delivered = SumDelivered(receivers);
            return new CounterReading(receivers.Length == 0 ? opener.Opened : loop.Open, delivered, delivered * size, run.Errors.Total);
        }, latencyByStep);

        byte[] subscribe = RealtimeRequestFrames.ConnectAndSubscribe(channel);
        receivers = await Task.Run(() => opener.OpenAll(subscribers, ReceiveBufferSize, (socket, buffer, initial) =>
        {
            socket.Send(subscribe);
            return new FanoutSubscriber(socket, buffer, initial, latencyByStep);
        }), cancellation);
        PublishAckCounter? acks = null;
        StalledSubscribers? frozen = null;
        try
        {
            acks = await Task.Run(() => OpenPublisher(request), cancellation);
            frozen = await Task.Run(() => StalledSubscribers.Open(run.Target, request, channel, stalled), cancellation);
            loop.Add(acks);
            foreach (FanoutSubscriber receiver in receivers)
            {
                loop.Add(receiver);
            }

            loop.Start();
            FanoutPublisher publisher = new(acks.Socket, channel, size);

            // Pacing sleeps and blocks, so it gets a thread of its own rather than a pool thread.
            CpuMeter cpu = new(run.ServerPid);
            (List<BroadcastStep> steps, CpuUsage usage) = await Task.Factory.StartNew(
                () => RunSteps(publisher, receivers, latencyByStep, sampler, cpu, cancellation),
                cancellation, TaskCreationOptions.LongRunning, TaskScheduler.Default);

            sampler.Phase = "settle";
            TimeSpan settled = await SettleAsync(steps, receivers, cancellation);
            long totalLost = 0;
            for (int i = 0; i < steps.Count; i++)
            {
                long lost = 0;
                foreach (FanoutSubscriber receiver in receivers)
                {
                    lost += Math.Max(0, steps[i].Sent - receiver.ReceivedIn(i));
                }

                steps[i].Lost = lost;
                totalLost += lost;
            }

            run.Errors.Record(BenchErrorKind.Lost,
                $"{totalLost} deliveries had not arrived {settle.TotalSeconds:0.###} s after the last step.", totalLost);
            int stalledClosed = frozen.ClosedByServer();
            await sampler.StopAsync();

            LatencyHistogram latency = new();
            foreach (BroadcastStep done in steps)
            {
                latency.Add(done.Latency);
            }

            long sent = steps.Sum(s => s.Sent);
            long received = SumDelivered(receivers);
            long measured = steps.Sum(s => s.Deliveries);
            return new BenchReport(run, "fanout")
            {
                Parameters =
                [
                    new("subscribers", subscribers),
                    new("stalled", stalled),
                    new("channel", channel),
                    new("rates", rates),
                    new("stepSeconds", step.TotalSeconds),
                    new("size", size),
                    new("settleSeconds", settle.TotalSeconds),
                    new("p99LimitMs", p99Limit.TotalMilliseconds),
                    new("stopAboveP99Ms", stopAboveP99.TotalMilliseconds),
                ],
                Connections = subscribers + stalled + 1,
                Unit = "deliveries",
                MessagesSent = sent,
                MessagesReceived = received,
                MessagesExpected = sent * subscribers,
                BytesReceived = received * size,
                MeasuredSeconds = steps.Sum(s => s.Seconds),
                MeasuredMessages = measured,
                MeasuredBytes = measured * size,
                Latency = latency,
                LatencyName = "publish to delivery",
                Cpu = usage,
                Series = sampler.Series,
                Details = new FanoutDetails(subscribers, stalled, stalledClosed, channel, size, rates, step, steps, settled, p99Limit,
                    publisher.Published, acks.Acks),
            };
        }
        finally
        {
            loop.Stop();
            frozen?.Dispose();
            acks?.Socket.Dispose();
            foreach (FanoutSubscriber receiver in receivers)
            {
                receiver.Socket.Dispose();
            }
        }
    }

    // The publisher is a session of its own: connected before it publishes, its acks read by the event loop.
    private PublishAckCounter OpenPublisher(UpgradeRequest request)
    {
        byte[] buffer = new byte[Math.Max(ReceiveBufferSize, ClientHandshake.MinimumBufferSize)];
        (System.Net.Sockets.Socket socket, int initial) = ClientHandshake.Open(run.Target, request, buffer);
        try
        {
            socket.Send(RealtimeRequestFrames.Connect());
            int carry = RealtimeAnswer.Await(socket, buffer, initial, "connected");
            return new PublishAckCounter(socket, buffer, carry, run.Errors);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    // Runs the steps; returns them with the CPU use over all of them.
    private (List<BroadcastStep> Steps, CpuUsage Cpu) RunSteps(FanoutPublisher publisher, FanoutSubscriber[] receivers,
        LatencyHistogram[] latencyByStep, RunSampler sampler, CpuMeter overall, CancellationToken cancellation)
    {
        sampler.Phase = "subscribing";
        WaitUntil(receivers, r => r.Subscribed, "answered the subscribe request", null, cancellation);
        sampler.Phase = "probing";
        WaitUntil(receivers, r => r.Probed, "received a probe message", publisher, cancellation);
        List<BroadcastStep> steps = [];
        CpuMeter cpu = new(run.ServerPid);
        overall.Start();
        for (int i = 0; i < rates.Length && !cancellation.IsCancellationRequested; i++)
        {
            sampler.Phase = $"step {rates[i]}/s";
            long deliveredBefore = SumDelivered(receivers);
            long start = Stopwatch.GetTimestamp();
            cpu.Start();
            long sent = publisher.RunStep(i, rates[i], step);
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

    // Waits until every subscriber meets the condition, publishing a probe each round when a publisher is given: the
    // last subscribers' requests may still be on their way when the first ones are answered.
    private static void WaitUntil(FanoutSubscriber[] receivers, Func<FanoutSubscriber, bool> ready, string what,
        FanoutPublisher? prober, CancellationToken cancellation)
    {
        long start = Stopwatch.GetTimestamp();
        while (!cancellation.IsCancellationRequested)
        {
            prober?.SendProbe();
            Thread.Sleep(s_readyInterval);
            int missing = Array.FindAll(receivers, r => !ready(r)).Length;
            if (missing == 0)
            {
                return;
            }

            if (Stopwatch.GetElapsedTime(start) > s_readyTimeout)
            {
                throw new TimeoutException(
                    $"{missing} of {receivers.Length} subscribers never {what} in {s_readyTimeout.TotalSeconds:F0} s; "
                    + "check that the URL is the server's wirehub.v1 endpoint (e.g. ws://127.0.0.1:8080/connection).");
            }
        }
    }

    // Waits until every subscriber has every message, or the settle time is up; returns how long that took.
    private async Task<TimeSpan> SettleAsync(List<BroadcastStep> steps, FanoutSubscriber[] receivers, CancellationToken cancellation)
    {
        long expected = steps.Sum(s => s.Sent) * receivers.Length;
        long start = Stopwatch.GetTimestamp();
        while (SumDelivered(receivers) < expected && Stopwatch.GetElapsedTime(start) < settle)
        {
            await Task.Delay(50, cancellation);
        }

        return Stopwatch.GetElapsedTime(start);
    }

    private static long SumDelivered(FanoutSubscriber[] receivers)
    {
        long total = 0;
        foreach (FanoutSubscriber receiver in receivers)
        {
            total += receiver.Delivered;
        }

        return total;
    }
}
