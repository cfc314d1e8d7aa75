using System.Diagnostics;
using System.Net.Sockets;
using Wirehub.Protocol;

namespace Wirehub.Cli.Bench;

/// <summary>
/// Whole connection lifetimes back to back: open TCP, upgrade, then close as RFC 6455 §7.1.1 intends: the client sends
/// its close frame, the server answers with its own and closes TCP first, and the client waits for that FIN.
/// </summary>
internal sealed class HandshakeScenario(
    BenchTarget target, int concurrency, TimeSpan duration, TimeSpan warmup, int? serverPid)
{
    // A server that stops answering must not hang a worker for the rest of the run.
    private static readonly TimeSpan s_cycleTimeout = TimeSpan.FromSeconds(5);

    private long _completed;
    private long _failures;
    private string? _firstFailure;

    public async Task<HandshakeReport> RunAsync(CancellationToken cancellation)
    {
        UpgradeRequest request = new(target);
        LatencyHistogram upgrade = new();
        MeasurementWindow window = new();
        Task[] workers = new Task[concurrency];
        for (int i = 0; i < workers.Length; i++)
        {
            workers[i] = Task.Run(() => WorkAsync(request, upgrade, window), CancellationToken.None);
        }

        CpuMeter cpu = new(serverPid);
        try
        {
            await Task.Delay(warmup, cancellation);
            long startCompleted = Volatile.Read(ref _completed);
            long startFailures = Volatile.Read(ref _failures);
            long start = Stopwatch.GetTimestamp();
            cpu.Start();
            window.Open();
            await Task.Delay(duration, cancellation);
            window.Close();
            CpuUsage usage = cpu.Stop();
            double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            return new HandshakeReport(target, serverPid, concurrency, seconds, Volatile.Read(ref _completed) - startCompleted,
                upgrade, usage, Volatile.Read(ref _failures) - startFailures, _firstFailure);
        }
        finally
        {
            window.Stop();
            await Task.WhenAll(workers);
        }
    }

    private async Task WorkAsync(UpgradeRequest request, LatencyHistogram upgrade, MeasurementWindow window)
    {
        byte[] buffer = new byte[ClientHandshake.MinimumBufferSize];
        ReceivedMessageScanner scanner = new(prefixLength: 2);
        using CancellationTokenSource timeout = new();
        while (!window.IsStopping)
        {
            if (!timeout.TryReset())
            {
                break;
            }

            timeout.CancelAfter(s_cycleTimeout);
            scanner.Reset();
            Socket? socket = null;
            try
            {
                long start = Stopwatch.GetTimestamp();
                (socket, int initial) = await ClientHandshake.OpenAsync(target, request, buffer, timeout.Token);
                long upgraded = Stopwatch.GetTimestamp();
                await socket.SendAsync(ClientCloseFrame.Bytes, SocketFlags.None, timeout.Token);
                await AwaitServerCloseAsync(socket, scanner, buffer, initial, timeout.Token);
                if (window.IsOpen)
                {
                    upgrade.Record(upgraded - start);
                    Interlocked.Increment(ref _completed);
                }
            }
            catch (Exception exception) when (exception is SocketException or InvalidDataException or OperationCanceledException)
            {
                if (window.IsStopping)
                {
                    break;
                }

                Interlocked.Increment(ref _failures);
                Interlocked.CompareExchange(ref _firstFailure,
                    exception is OperationCanceledException
                        ? $"A handshake and close took longer than {s_cycleTimeout.TotalSeconds:F0} s."
                        : exception.Message,
                    null);

                // A server that refuses connections would otherwise be hammered in a tight loop.
                await Task.Delay(10, CancellationToken.None);
            }
            finally
            {
                socket?.Dispose();
            }
        }
    }

    // Reads until the server's close frame (§5.5.1) and then the end of the stream (its FIN, §7.1.1).
    private static async Task AwaitServerCloseAsync(Socket socket, ReceivedMessageScanner scanner, byte[] buffer, int available,
        CancellationToken cancellation)
    {
        bool closeSeen = false;
        while (true)
        {
            if (!closeSeen)
            {
                (closeSeen, available) = FindClose(scanner, buffer, available);
            }

            int read = await socket.ReceiveAsync(buffer.AsMemory(available), SocketFlags.None, cancellation);
            if (read == 0)
            {
                if (!closeSeen)
                {
                    throw new InvalidDataException("The server closed TCP without sending its close frame (RFC 6455 §7.1.1).");
                }

                return;
            }

            available += read;
            if (closeSeen)
            {
                // Whatever follows the close frame is of no interest; only the FIN is awaited.
                available = 0;
            }
        }
    }

    private static (bool CloseSeen, int Carry) FindClose(ReceivedMessageScanner scanner, byte[] buffer, int available)
    {
        ReadOnlySpan<byte> data = buffer.AsSpan(0, available);
        while (scanner.TryRead(ref data, out Opcode opcode, out _, out _))
        {
            if (opcode == Opcode.Close)
            {
                return (true, 0);
            }
        }

        data.CopyTo(buffer);
        return (false, data.Length);
    }
}
