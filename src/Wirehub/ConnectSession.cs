using System.Runtime.InteropServices;
using System.Text;
using Wirehub.Protocol;
using Wirehub.WebSockets;

namespace Wirehub.Cli;

/// <summary>One run of <c>wirehub connect</c>: connect, pump lines out and messages in, close, report.</summary>
internal static class ConnectSession
{
    public static async Task<int> RunAsync(ConnectSettings settings, TextReader input, TextWriter output, TextWriter status)
    {
        using var interrupted = new CancellationTokenSource();
        // Ctrl+C and SIGTERM start the closing handshake instead of killing the process mid-connection.
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
        void Interrupt(PosixSignalContext context)
        {
            context.Cancel = true;
            interrupted.Cancel();
        }

        await using var client = new WebSocketClient(settings.Url, settings.ClientOptions);
        var closed = new TaskCompletionSource<CloseEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        var outputLock = new Lock();
        client.MessageReceived += (_, e) =>
        {
            string line = e.Data is byte[] bytes ? Show(bytes, settings.BinaryDisplay) : e.Text!;
            lock (outputLock) output.WriteLine(line);
        };
        bool opened = false;
        client.Error += (_, e) =>
        {
            // Handshake failures are reported below, from the exception ConnectAsync throws.
            if (Volatile.Read(ref opened)) lock (outputLock) status.WriteLine($"error: {e.Exception.Message}");
        };
        client.Closed += (_, e) => closed.TrySetResult(e);

        try
        {
            await client.ConnectAsync(interrupted.Token);
        }
        catch (WebSocketHandshakeException ex)
        {
            status.WriteLine($"wirehub connect: {ex.Message}");
            return ExitCode.Failure;
        }
        catch (OperationCanceledException)
        {
            status.WriteLine($"wirehub connect: interrupted while connecting to {settings.Url}.");
            return ExitCode.Failure;
        }
        Volatile.Write(ref opened, true);
        status.WriteLine($"connected to {settings.Url} (subprotocol: {Or(client.Protocol, "none")}; extensions: {Or(client.Extensions, "none")})");

        // Reading standard input blocks a thread whatever the API, so it gets one of its own; a process that exits
        // leaves it behind harmlessly.
        var sending = Task.Factory.StartNew(() => SendLinesAsync(client, input, settings.SendBinary, closed.Task),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        var interruption = Task.Delay(Timeout.Infinite, interrupted.Token);
        await Task.WhenAny(sending, closed.Task, interruption);
        if (sending.IsCompleted && !closed.Task.IsCompleted && settings.Wait > TimeSpan.Zero)
            await Task.WhenAny(closed.Task, interruption, Task.Delay(settings.Wait));

        bool closedHere = false;
        if (!closed.Task.IsCompleted)
        {
            closedHere = true;
            try
            {
                await client.CloseAsync(settings.CloseCode, settings.CloseReason);
            }
            catch (Exception ex) when (ex is WebSocketClosedException or IOException or OperationCanceledException)
            {
                // The Closed event reports how the connection ended.
            }
        }
        var result = await closed.Task;
        string reason = result.Reason.Length > 0 ? $" {result.Reason}" : "";
        status.WriteLine($"closed: {result.Code}{reason}{(result.WasClean ? "" : " (not clean)")}");
        bool normal = result.WasClean && (closedHere || result.Code == CloseStatus.NormalClosure);
        return normal ? ExitCode.Ok : ExitCode.Failure;
    }

    private static async Task SendLinesAsync(WebSocketClient client, TextReader input, bool binary, Task closed)
    {
        while (!closed.IsCompleted && input.ReadLine() is { } line)
        {
            try
            {
                if (binary) await client.SendAsync(Encoding.UTF8.GetBytes(line), MessageType.Binary);
                else await client.SendAsync(line);
            }
            catch (Exception ex) when (ex is WebSocketClosedException or IOException)
            {
                return;
            }
        }
    }

    private static string Show(byte[] data, BinaryDisplay display) => display switch
    {
        BinaryDisplay.Base64 => Convert.ToBase64String(data),
        BinaryDisplay.Text => Encoding.UTF8.GetString(data),
        _ => Convert.ToHexStringLower(data),
    };

    private static string Or(string value, string otherwise) => value.Length > 0 ? value : otherwise;
}
