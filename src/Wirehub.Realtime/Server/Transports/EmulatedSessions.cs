using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Wirehub.Realtime.Server.Transports;

/// <summary>
/// The open fallback sessions of one endpoint, by id. Each holds a connection slot of the hub's admission from its
/// opening until it leaves this table, so fallback sessions count against the connection limit like WebSockets.
/// </summary>
internal sealed class EmulatedSessions(RealtimeHub hub, ILogger? logger)
{
    private readonly ConcurrentDictionary<string, EmulatedTransport> _open = new(StringComparer.Ordinal);

    public int Count => _open.Count;

    /// <summary>Adds a transport whose connection slot the caller has just taken.</summary>
    public void Add(EmulatedTransport transport)
    {
        if (!_open.TryAdd(transport.Id, transport))
            throw new InvalidOperationException("A fallback session id was issued twice: the random generator is broken.");
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

    /// <summary>The server is stopping: every session is told 1001 (reconnect elsewhere, with recovery).</summary>
    public void CloseAll()
    {
        foreach (var transport in _open.Values)
        {
            transport.CloseOutput(Wirehub.Protocol.CloseStatus.GoingAway, "The server is shutting down: reconnect with recovery.");
            // A long-polling session without a poll outstanding has nobody to tell: it goes now.
            if (transport is PollTransport { IsPolling: false }) Remove(transport);
        }
    }
}
