using System.Text.Json;
using Wirehub.Realtime.Tests.Server.Support;

namespace Wirehub.Realtime.Tests.Transports.Support;

/// <summary>The WebSocket client of the server tests, as a <see cref="FrameClient"/>.</summary>
internal sealed class WebSocketFrameClient(WireClient client) : FrameClient
{
    public override async Task SendAsync(params string[] frames)
    {
        foreach (var frame in frames) await client.SendAsync(frame);
    }

    public override async Task<JsonElement?> ReceiveAsync()
    {
        JsonElement? frame;
        try { frame = await client.ReceiveAsync(); }
        catch (Exception ex) when (ex is not OperationCanceledException) { frame = null; }
        if (frame is null) Close = (client.Socket.CloseStatus ?? 1006, client.Socket.CloseReason ?? "");
        return frame;
    }

    public override ValueTask AbortAsync() => client.AbortAsync();

    public override ValueTask DisposeAsync() => client.DisposeAsync();
}
