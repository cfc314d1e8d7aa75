using System.Net.WebSockets;
using System.Text;

namespace Wirehub.Interop.Tests.Hosts;

/// <summary>
/// Another client of the same server (.NET's ClientWebSocket), to show that one connection's failure leaves the others
/// served.
/// </summary>
internal sealed class Bystander : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();

    private Bystander()
    {
    }

    public static async Task<Bystander> ConnectAsync(Uri url)
    {
        var bystander = new Bystander();
        using var timeout = new CancellationTokenSource(InteropTimeouts.Event);
        await bystander._socket.ConnectAsync(url, timeout.Token).ConfigureAwait(false);
        return bystander;
    }

    /// <summary>Sends <paramref name="text"/> and returns the reply.</summary>
    public async Task<string> EchoAsync(string text)
    {
        using var timeout = new CancellationTokenSource(InteropTimeouts.Event);
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, timeout.Token).ConfigureAwait(false);
        var buffer = new byte[4096];
        var stream = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await _socket.ReceiveAsync(buffer, timeout.Token).ConfigureAwait(false);
            stream.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Connects, echoes <paramref name="text"/> once and closes.</summary>
    public static async Task<string> EchoOnceAsync(Uri url, string text)
    {
        await using var bystander = await ConnectAsync(url).ConfigureAwait(false);
        return await bystander.EchoAsync(text).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(InteropTimeouts.Event);
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                // The test already has its verdict; a failed goodbye does not change it.
            }
        }
        _socket.Dispose();
    }
}
