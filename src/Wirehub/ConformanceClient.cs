using System.Buffers;
using Wirehub.WebSockets;

namespace Wirehub.Cli;

/// <summary>
/// Drives <see cref="WebSocketClient"/> through a fuzzing server that follows the Autobahn TestSuite fuzzingserver
/// convention: /getCaseCount, then /runCase?case=i&amp;agent=NAME for each case (echoing every message until the
/// server closes), then /updateReports?agent=NAME.
/// </summary>
public static class ConformanceClient
{
    /// <summary>Runs every case; returns the number of cases run.</summary>
    public static async Task<int> RunAsync(Uri baseUrl, string agent, CancellationToken cancellationToken,
        Action<int, int>? progress = null)
    {
        int count = await GetCaseCountAsync(baseUrl, cancellationToken).ConfigureAwait(false);
        for (int i = 1; i <= count; i++)
        {
            progress?.Invoke(i, count);
            await RunCaseAsync(new Uri(baseUrl, $"runCase?case={i}&agent={Uri.EscapeDataString(agent)}"), cancellationToken).ConfigureAwait(false);
        }
        var report = new WebSocketClient(new Uri(baseUrl, $"updateReports?agent={Uri.EscapeDataString(agent)}"));
        await report.ConnectAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var _ in report.ReceiveAllAsync(cancellationToken).ConfigureAwait(false))
        {
        }
        await report.DisposeAsync().ConfigureAwait(false);
        return count;
    }

    private static async Task<int> GetCaseCountAsync(Uri baseUrl, CancellationToken cancellationToken)
    {
        await using var client = new WebSocketClient(new Uri(baseUrl, "getCaseCount"));
        await client.ConnectAsync(cancellationToken).ConfigureAwait(false);
        int count = -1;
        await foreach (var message in client.ReceiveAllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (message.Type == MessageType.Text && int.TryParse(message.GetString(), out int n)) count = n;
        }
        return count >= 0 ? count
            : throw new InvalidDataException($"{baseUrl}getCaseCount did not send a case count: is it an Autobahn-style fuzzing server?");
    }

    /// <summary>Connects to one case URL and echoes every message (text as text, binary as binary) until the server closes.</summary>
    public static async Task RunCaseAsync(Uri caseUrl, CancellationToken cancellationToken)
    {
        var options = new WebSocketClientOptions { MaxMessageSize = 64 * 1024 * 1024, MaxFrameSize = 64 * 1024 * 1024, KeepAliveInterval = TimeSpan.Zero };
        await using var client = new WebSocketClient(caseUrl, options);
        try
        {
            await client.ConnectAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Wirehub.Protocol.WebSocketHandshakeException)
        {
            return; // Some cases refuse the handshake on purpose; the server judges that.
        }
        try
        {
            await foreach (var message in client.ReceiveAllAsync(cancellationToken).ConfigureAwait(false))
                await client.SendAsync(message.Data.ToArray(), message.Type).ConfigureAwait(false);
        }
        catch (WebSocketClosedException)
        {
            // The server closed while an echo was on its way: the case is over.
        }
    }
}
