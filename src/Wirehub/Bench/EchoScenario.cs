using System.Diagnostics;

namespace Wirehub.Cli.Bench;

/// <summary>
/// Round trips under a fixed window: every connection keeps <c>inflight</c> messages outstanding, so the server is
/// never idle waiting for the generator and its messages/s is its capacity.
/// </summary>
internal sealed class EchoScenario(
    BenchTarget target, int connections, int inflight, int size, TimeSpan duration, TimeSpan warmup, int? serverPid)
{
    public async Task<EchoReport> RunAsync(CancellationToken cancellation)
    {
        UpgradeRequest request = new(target);
        LatencyHistogram latency = new();
        MeasurementWindow window = new();
        byte[] payload = CreatePayload(size);

        // Room for a whole window of echoes in one receive, so a connection normally needs one receive per window.
        int receiveSize = Math.Max(ClientHandshake.MinimumBufferSize, Math.Min(inflight * (size + 14), 256 * 1024));
        EchoConnection[] opened = ConnectionOpener.OpenAll(target, request, connections, receiveSize,
            (socket, buffer, initial) => new EchoConnection(socket, buffer, initial, payload, inflight, latency, window));

        using SocketEventLoop loop = new();
        try
        {
            foreach (EchoConnection connection in opened)
            {
                loop.Add(connection);
                connection.Begin();
            }

            loop.Start();
            await Task.Delay(warmup, cancellation);
            CpuMeter cpu = new(serverPid);
            long startMessages = SumMessages(opened);
            long start = Stopwatch.GetTimestamp();
            cpu.Start();
            window.Open();
            await Task.Delay(duration, cancellation);
            window.Close();
            CpuUsage usage = cpu.Stop();
            double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            long messages = SumMessages(opened) - startMessages;
            return new EchoReport(target, serverPid, connections, inflight, size, seconds, messages, latency, usage,
                failures: Array.FindAll(opened, c => c.Failure is not null).Length,
                firstFailure: Array.Find(opened, c => c.Failure is not null)?.Failure);
        }
        finally
        {
            window.Close();
            loop.Stop();
            foreach (EchoConnection connection in opened)
            {
                connection.Socket.Dispose();
            }
        }
    }

    private static long SumMessages(EchoConnection[] connections)
    {
        long total = 0;
        foreach (EchoConnection connection in connections)
        {
            total += connection.Messages;
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
