using System.Collections.Concurrent;
using System.Security.Cryptography;
using Wirehub.Realtime.Broker;
using Wirehub.Realtime.Protocol;
using Wirehub.WebSockets;

namespace Wirehub.Realtime.Server;

/// <summary>
/// The realtime server of one node: its connections, the local subscribers of each channel and the sessions kept for
/// recovery. Fan-out sends a message's one <see cref="PreparedMessage"/> to every local subscriber.
/// </summary>
public sealed class RealtimeHub : IBrokerEventHandler, IDisposable
{
    internal static readonly PreparedMessage PingPush = PreparedMessage.CreateText("{\"type\":\"ping\"}");
    internal static readonly PreparedMessage PongPush = PreparedMessage.CreateText("{\"type\":\"pong\"}");

    private readonly ConcurrentDictionary<string, ChannelSubscribers> _channels = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _channelChanges = new(1, 1);
    private readonly ConcurrentDictionary<RealtimeSession, byte> _sessions = new();
    private readonly ConcurrentDictionary<string, SessionState> _detached = new(StringComparer.Ordinal);
    private readonly ITimer _pingTimer;

    /// <summary>Creates the hub and registers it as the broker's event handler.</summary>
    public RealtimeHub(RealtimeOptions options, IBroker broker, IPresenceStore presence, TimeProvider? time = null)
    {
        Options = options ?? throw new ArgumentNullException(nameof(options));
        Broker = broker ?? throw new ArgumentNullException(nameof(broker));
        Presence = presence ?? throw new ArgumentNullException(nameof(presence));
        Time = time ?? TimeProvider.System;
        Admission = new ConnectionAdmission(options.MaxConnections, options.ConnectionRate, Time);
        broker.SetEventHandler(this);
        _pingTimer = Time.CreateTimer(_ => Tick(), null, options.PingInterval, options.PingInterval);
    }

    /// <summary>The options the hub runs with.</summary>
    public RealtimeOptions Options { get; }

    internal IBroker Broker { get; }
    internal IPresenceStore Presence { get; }
    internal TimeProvider Time { get; }
    internal long NowMs => Time.GetUtcNow().ToUnixTimeMilliseconds();

    internal ConnectionAdmission Admission { get; }

    /// <summary>Serves one <c>wirehub.v1</c> connection until it closes.</summary>
    public Task RunAsync(WebSocketConnection connection, CancellationToken aborted = default) =>
        new RealtimeSession(this, connection).RunAsync(aborted);

    internal string NewId(string prefix) => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    internal void Attach(RealtimeSession session) => _sessions.TryAdd(session, 0);

    /// <summary>Takes back a dropped session still within the recovery window; its pending presence leave is cancelled.</summary>
    internal SessionState? TryReattach(string connectionId)
    {
        if (!_detached.TryRemove(connectionId, out var state)) return null;
        lock (state)
        {
            state.GraceTimer?.Dispose();
            state.GraceTimer = null;
        }
        // The window is half-open: a session detached exactly one window ago is already gone, so a zero window recovers nothing.
        if (NowMs - state.DetachedAt >= (long)Options.RecoveryWindow.TotalMilliseconds)
        {
            _ = LeavePresenceAsync(state);
            return null;
        }
        return state;
    }

    /// <summary>
    /// A connection ended: its subscriptions go. A dropped session waits for recovery and its presence leaves after the
    /// grace period; one the client closed with 1000 leaves at once.
    /// </summary>
    internal async Task DetachAsync(RealtimeSession session, Subscription[] subscriptions, bool leftForGood)
    {
        _sessions.TryRemove(session, out _);
        foreach (var subscription in subscriptions) await RemoveSubscriberAsync(subscription).ConfigureAwait(false);
        if (session.State is not { } state) return;
        if (leftForGood)
        {
            await LeavePresenceAsync(state).ConfigureAwait(false);
            return;
        }
        state.DetachedAt = NowMs;
        _detached[state.ConnectionId] = state;
        if (state.PresenceChannels.IsEmpty) return;
        lock (state)
        {
            state.GraceTimer = Time.CreateTimer(_ =>
            {
                lock (state)
                {
                    if (state.GraceTimer is null) return;
                    state.GraceTimer.Dispose();
                    state.GraceTimer = null;
                }
                _ = LeavePresenceAsync(state);
            }, null, Options.PresenceGrace, Timeout.InfiniteTimeSpan);
        }
    }

    private async Task LeavePresenceAsync(SessionState state)
    {
        foreach (var channel in state.PresenceChannels.Keys)
        {
            state.PresenceChannels.TryRemove(channel, out _);
            try { await Presence.LeaveAsync(channel, state.ConnectionId).ConfigureAwait(false); }
            catch (BrokerUnavailableException) { }
        }
    }

    internal async ValueTask AddSubscriberAsync(Subscription subscription)
    {
        await _channelChanges.WaitAsync().ConfigureAwait(false);
        try
        {
            var subscribers = _channels.GetOrAdd(subscription.Channel, _ => new ChannelSubscribers());
            if (subscribers.Add(subscription)) await Broker.SubscribeAsync(subscription.Channel).ConfigureAwait(false);
        }
        finally
        {
            _channelChanges.Release();
        }
    }

    internal async ValueTask RemoveSubscriberAsync(Subscription subscription)
    {
        await _channelChanges.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!_channels.TryGetValue(subscription.Channel, out var subscribers)) return;
            if (!subscribers.Remove(subscription)) return;
            _channels.TryRemove(subscription.Channel, out _);
            await Broker.UnsubscribeAsync(subscription.Channel).ConfigureAwait(false);
        }
        finally
        {
            _channelChanges.Release();
        }
    }

    /// <inheritdoc />
    void IBrokerEventHandler.OnMessage(ChannelMessage message)
    {
        if (!_channels.TryGetValue(message.Channel, out var subscribers)) return;
        foreach (var subscription in subscribers.Items) subscription.Deliver(message);
    }

    /// <inheritdoc />
    void IBrokerEventHandler.OnPresence(PresenceEvent presenceEvent)
    {
        if (!_channels.TryGetValue(presenceEvent.Channel, out var subscribers)) return;
        var items = subscribers.Items;
        if (items.Length == 0) return;
        var push = ServerFrameWriter.PresenceEventPush(presenceEvent);
        foreach (var subscription in items) subscription.Session.Push(push);
    }

    /// <summary>Sends the application ping to every connection and forgets sessions past the recovery window.</summary>
    private void Tick()
    {
        foreach (var session in _sessions.Keys)
            if (session.IsConnected) session.Push(PingPush);
        long expired = NowMs - (long)Options.RecoveryWindow.TotalMilliseconds;
        foreach (var (id, state) in _detached)
        {
            if (state.DetachedAt <= expired && _detached.TryRemove(new KeyValuePair<string, SessionState>(id, state)))
                _ = LeavePresenceAsync(state);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _pingTimer.Dispose();
}
