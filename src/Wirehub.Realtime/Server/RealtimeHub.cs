using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Wirehub.Realtime.Broker;
using Wirehub.Realtime.Diagnostics;
using Wirehub.Realtime.Protocol;
using Wirehub.WebSockets;

namespace Wirehub.Realtime.Server;

/// <summary>
/// The realtime server of one node: its connections and the local subscribers of each channel; dropped sessions wait for
/// recovery in the <see cref="ISessionStore"/>. Fan-out sends a message's one <see cref="PreparedMessage"/> to every
/// local subscriber.
/// </summary>
public sealed class RealtimeHub : IBrokerEventHandler, IDisposable
{
    internal static readonly PreparedMessage PingPush = PreparedMessage.CreateText("{\"type\":\"ping\"}");
    internal static readonly PreparedMessage PongPush = PreparedMessage.CreateText("{\"type\":\"pong\"}");

    private readonly ConcurrentDictionary<string, ChannelSubscribers> _channels = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _channelChanges = new(1, 1);
    private readonly ConcurrentDictionary<RealtimeSession, byte> _sessions = new();
    /// <summary>Presence grace timers of the sessions this node detached, by connection id.</summary>
    private readonly ConcurrentDictionary<string, ITimer> _graceTimers = new(StringComparer.Ordinal);
    private readonly ITimer _pingTimer;

    /// <summary>
    /// Creates the hub and registers it as the broker's event handler. Without <paramref name="sessions"/>, dropped
    /// sessions wait in this node's memory (an <see cref="InMemorySessionStore"/>).
    /// </summary>
    public RealtimeHub(RealtimeOptions options, IBroker broker, IPresenceStore presence, TimeProvider? time = null,
        ISessionStore? sessions = null)
    {
        Options = options ?? throw new ArgumentNullException(nameof(options));
        Broker = new MeteredBroker(broker ?? throw new ArgumentNullException(nameof(broker)));
        Presence = presence ?? throw new ArgumentNullException(nameof(presence));
        Time = time ?? TimeProvider.System;
        Sessions = sessions ?? new InMemorySessionStore(Time);
        Admission = new ConnectionAdmission(options.MaxConnections, options.ConnectionRate, Time);
        broker.SetEventHandler(this);
        _pingTimer = Time.CreateTimer(_ => Tick(), null, options.PingInterval, options.PingInterval);
        RealtimeMetrics.Track(this);
    }

    /// <summary>The options the hub runs with.</summary>
    public RealtimeOptions Options { get; }

    internal IBroker Broker { get; }
    internal IPresenceStore Presence { get; }
    internal ISessionStore Sessions { get; }
    internal TimeProvider Time { get; }
    internal long NowMs => Time.GetUtcNow().ToUnixTimeMilliseconds();

    internal ConnectionAdmission Admission { get; }

    /// <summary>The realtime log (<see cref="RealtimeLog.Category"/>); set from the host's services when registered.</summary>
    internal ILogger Logger { get; set; } = NullLogger.Instance;

    /// <summary>Connected sessions, channels with local subscribers and their subscriptions, for the metrics.</summary>
    internal HubCounts Count()
    {
        long subscribers = 0;
        foreach (var channel in _channels.Values) subscribers += channel.Items.Length;
        return new HubCounts(_sessions.Keys.Count(static session => session.IsConnected), _channels.Count, subscribers);
    }

    /// <summary>Serves one <c>wirehub.v1</c> connection until it closes.</summary>
    public Task RunAsync(WebSocketConnection connection, CancellationToken aborted = default) =>
        Transports.WebSocketTransport.RunSessionAsync(this, connection, aborted);

    internal string NewId(string prefix) => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    internal void Attach(RealtimeSession session) => _sessions.TryAdd(session, 0);

    /// <summary>Takes back a dropped session still within the recovery window, wherever it dropped; its pending presence leave is cancelled.</summary>
    /// <exception cref="BrokerUnavailableException">The session store cannot be reached.</exception>
    internal async ValueTask<SessionState?> TryReattachAsync(string connectionId)
    {
        var detached = await Sessions.TakeAsync(connectionId).ConfigureAwait(false);
        // Taken (here or by another node) or gone: this node's grace timer has nothing left to release.
        if (_graceTimers.TryRemove(connectionId, out var timer)) timer.Dispose();
        if (detached is null) return null;
        var state = new SessionState(detached.ClientId, detached.ConnectionId);
        foreach (var channel in detached.PresenceChannels) state.PresenceChannels[channel] = 0;
        // The window is half-open: a session detached exactly one window ago is already gone, so a zero window recovers nothing.
        if (NowMs - detached.DetachedAt >= (long)Options.RecoveryWindow.TotalMilliseconds)
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
        var detached = new DetachedSession(state.ClientId, state.ConnectionId, state.PresenceChannels.Keys.ToArray(), NowMs);
        // Kept past the window and the grace, so the grace timer below still finds what to release when it runs late.
        var retention = (Options.RecoveryWindow > Options.PresenceGrace ? Options.RecoveryWindow : Options.PresenceGrace) + TimeSpan.FromSeconds(30);
        try
        {
            await Sessions.SaveAsync(detached, retention).ConfigureAwait(false);
        }
        catch (BrokerUnavailableException)
        {
            // Not kept, so not recoverable: nothing will cancel the leave, it may as well happen now.
            await LeavePresenceAsync(state).ConfigureAwait(false);
            return;
        }
        if (detached.PresenceChannels.Count == 0) return;
        var grace = Options.PresenceGrace < Options.RecoveryWindow ? Options.PresenceGrace : Options.RecoveryWindow;
        ArmGraceTimer(state.ConnectionId, grace);
    }

    private void ArmGraceTimer(string connectionId, TimeSpan due)
    {
        // Registered before it can fire, so the callback always finds (and removes) itself.
        var timer = Time.CreateTimer(_ => _ = ReleasePresenceAsync(connectionId), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        if (_graceTimers.TryGetValue(connectionId, out var previous)) previous.Dispose();
        _graceTimers[connectionId] = timer;
        timer.Change(due, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The grace of a dropped session ended: its presence leaves unless a connection took the session back.</summary>
    private async Task ReleasePresenceAsync(string connectionId)
    {
        if (!_graceTimers.TryRemove(connectionId, out var timer)) return;
        timer.Dispose();
        IReadOnlyList<string> channels;
        try
        {
            channels = await Sessions.ReleasePresenceAsync(connectionId).ConfigureAwait(false);
        }
        catch (BrokerUnavailableException)
        {
            // The entries must not outlive the session: try again after another grace period.
            ArmGraceTimer(connectionId, Options.PresenceGrace);
            return;
        }
        foreach (var channel in channels)
        {
            try { await Presence.LeaveAsync(channel, connectionId).ConfigureAwait(false); }
            catch (BrokerUnavailableException) { }
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

    /// <summary>Sends the application ping to every connection.</summary>
    private void Tick()
    {
        foreach (var session in _sessions.Keys)
            if (session.IsConnected) session.Push(PingPush);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        RealtimeMetrics.Untrack(this);
        _pingTimer.Dispose();
        foreach (var id in _graceTimers.Keys)
            if (_graceTimers.TryRemove(id, out var timer)) timer.Dispose();
    }
}
