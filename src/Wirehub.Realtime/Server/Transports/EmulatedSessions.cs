using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Wirehub.Realtime.Diagnostics;
using Wirehub.WebSockets;

namespace Wirehub.Realtime.Server.Transports;

/// <summary>
/// The open fallback sessions of one endpoint, by id. Each holds a connection slot of the hub's admission from its
/// opening until it leaves this table, so fallback sessions count against the connection limit like WebSockets; each is
/// tracked by the host's drain meanwhile (when one is registered), so a drain spreads their 1001 over its window with
/// the WebSocket connections' closes; and each is counted open by the transport metrics.
/// </summary>
internal sealed class EmulatedSessions(RealtimeHub hub, ILogger? logger, WebSocketDrain? drain = null)
{
    private readonly ConcurrentDictionary<string, EmulatedTransport> _open = new(StringComparer.Ordinal);

    public int Count => _open.Count;

    /// <summary>Adds a transport whose connection slot the caller has just taken.</summary>
    public void Add(EmulatedTransport transport)
    {
        if (!_open.TryAdd(transport.Id, transport))
            throw new InvalidOperationException("A fallback session id was issued twice: the random generator is broken.");
        TransportMetrics.SessionOpened(transport.Type);
        // Admitted just as the drain began: closed like the others, at once.
        if (drain is not null && !drain.TryTrack(transport)) transport.GoAway();
    }

    /// <summary>The open session of this kind with this id, or null (unknown, ended, or of the other transport).</summary>
    public T? Find<T>(string id) where T : EmulatedTransport =>
        _open.TryGetValue(id, out var transport) ? transport as T : null;

    /// <summary>Ends a transport's life: its URLs answer 404 and its connection slot is released (once).</summary>
    public void Remove(EmulatedTransport transport)
    {
        if (!_open.TryRemove(new KeyValuePair<string, EmulatedTransport>(transport.Id, transport))) return;
        transport.MarkRemoved();
        hub.Admission.Release();
        TransportMetrics.SessionClosed(transport.Type, transport.Close!.Code);
        // Last: the drain may complete, and the host go on stopping, once the last session is untracked.
        drain?.Untrack(transport);
    }

    /// <summary>Runs the <c>wirehub.v1</c> session over <paramref name="transport"/> until the transport closes.</summary>
    public async Task RunSessionAsync(EmulatedTransport transport)
    {
        try
        {
            await new RealtimeSession(hub, transport).RunAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            logger?.LogError(ex, "A realtime session over a fallback transport failed; it was closed with 1011.");
        }
        finally
        {
            transport.OnSessionEnded();
        }
    }

    /// <summary>
    /// The server is stopping without a drain: every session is told 1001 at once (reconnect elsewhere, with recovery).
    /// With a drain, the drain tells them instead, spread over its window.
    /// </summary>
    public void CloseAll()
    {
        foreach (var transport in _open.Values)
        {
            transport.GoAway();
            // A long-polling session without a poll outstanding has nobody to tell before the server stops: it goes now.
            if (transport is PollTransport { IsPolling: false }) Remove(transport);
        }
    }
}
