using System.Diagnostics;

namespace Wirehub.Cli.Bench;

/// <summary>
/// Round trips under a fixed window: every connection keeps <c>inflight</c> messages outstanding, so the server is
/// never idle waiting for the generator and its messages/s is its capacity. After the measured interval the
/// connections stop sending and wait for what is in flight, so that every message sent is accounted for.
/// </summary>
internal sealed class EchoScenario(
    BenchRun run, int connections, int inflight, int size, TimeSpan duration, TimeSpan warmup)
{
    // Long enough for a server that is only slow; a message still missing after it is counted as lost.
    private static readonly TimeSpan s_drainTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan s_drainPoll = TimeSpan.FromMilliseconds(10);

    public async Task<BenchReport> RunAsync(CancellationToken cancellation)
    {
        UpgradeRequest request = new(run.Target);
        LatencyHistogram latency = new();
        MeasurementWindow window = new();
        SendGate gate = new();
        byte[] payload = CreatePayload(size);
        ConnectionOpener opener = new(run.Target, request);
        using SocketEventLoop loop = new(run.Errors);
        EchoConnection[] opened = [];
        await using RunSampler sampler = run.StartSampler("msg/s", "connecting", () => new CounterReading(
            opened.Length == 0 ? opener.Opened : loop.Open, SumReceived(opened), SumReceived(opened) * size, run.Errors.Total), latency);

        // Room for a whole window of echoes in one receive, so a connection normally needs one receive per window.
        int receiveSize = Math.Max(ClientHandshake.MinimumBufferSize, Math.Min(inflight * (size + 14), 256 * 1024));
        opened = await Task.Run(() => opener.OpenAll(connections, receiveSize,
            (socket, buffer, initial) => new EchoConnection(socket, buffer, initial, payload, inflight, latency, window, gate)), cancellation);
        try
        {
            foreach (EchoConnection connection in opened)
            {
                loop.Add(connection);
                connection.Begin();
            }

            loop.Start();
            sampler.Phase = "warmup";
            await Task.Delay(warmup, cancellation);

            sampler.Phase = "measure";
            CpuMeter cpu = new(run.ServerPid);
            long startMessages = SumReceived(opened);
            long start = Stopwatch.GetTimestamp();
            cpu.Start();
            window.Open();
            await Task.Delay(duration, cancellation);
            window.Close();
            CpuUsage usage = cpu.Stop();
            double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            long measured = SumReceived(opened) - startMessages;

            sampler.Phase = "drain";
            gate.Close();
            await DrainAsync(opened, cancellation);
            await sampler.StopAsync();

            long sent = SumSent(opened);
            long received = SumReceived(opened);
            return new BenchReport(run, "echo")
            {
                Parameters =
                [
                    new("connections", connections),
                    new("inflight", inflight),
                    new("size", size),
                    new("durationSeconds", duration.TotalSeconds),
                    new("warmupSeconds", warmup.TotalSeconds),
                ],
                Connections = connections,
                Unit = "round trips",
                MessagesSent = sent,
                MessagesReceived = received,
                MessagesExpected = sent,
                BytesReceived = received * size,
                MeasuredSeconds = seconds,
                MeasuredMessages = measured,
                MeasuredBytes = measured * size,
                Latency = latency,
                LatencyName = "round trip",
                Cpu = usage,
                Series = sampler.Series,
            };
        }
        finally
        {
            window.Close();
            gate.Close();
            loop.Stop();
            foreach (EchoConnection connection in opened)
            {
                connection.Socket.Dispose();
            }
        }
    }

    // Waits until every working connection has its echoes back; what is still missing then is counted as lost.
    private async Task DrainAsync(EchoConnection[] opened, CancellationToken cancellation)
    {
        long start = Stopwatch.GetTimestamp();
        while (Outstanding(opened) > 0 && Stopwatch.GetElapsedTime(start) < s_drainTimeout)
        {
            await Task.Delay(s_drainPoll, cancellation);
        }

        long missing = Outstanding(opened);
        run.Errors.Record(BenchErrorKind.Lost,
            $"{missing} echoes had not come back {s_drainTimeout.TotalSeconds:F0} s after the last message was sent.", missing);
    }

    // Messages sent and not echoed yet, on connections still working (a failed one is already counted as an error).
    private static long Outstanding(EchoConnection[] connections)
    {
        long total = 0;
        foreach (EchoConnection connection in connections)
        {
            if (connection.Failure is null)
            {
                total += connection.Sent - connection.Messages;
            }
        }

        return total;
    }

    private static long SumReceived(EchoConnection[] connections)
    {
        long total = 0;
        foreach (EchoConnection connection in connections)
        {
            total += connection.Messages;
        }

        return total;
    }

    private static long SumSent(EchoConnection[] connections)
    {
        long total = 0;
        foreach (EchoConnection connection in connections)
        {
            total += connection.Sent;
        }

        return total;
    }

    private static byte[] CreatePayload(int size)
    {
        byte[] payload = new byte[size];
        for (int i = 0; i < payload.Length; i++)
        {
            payload[i] = (byte)('a' + i % 26);
        }

        return payload;
    }
}
