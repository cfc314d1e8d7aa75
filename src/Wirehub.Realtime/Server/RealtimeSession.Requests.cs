using Wirehub.Realtime.Broker;
using Wirehub.Realtime.Channels;
using Wirehub.Realtime.Protocol;

namespace Wirehub.Realtime.Server;

internal sealed partial class RealtimeSession
{
    private static readonly ProtocolError NotConnected =
        new(ErrorCode.NotConnected, "Not connected: send {\"type\":\"connect\"} first.");

    /// <summary>Answers one request; returns false when the connection was closed.</summary>
    private async ValueTask<bool> HandleAsync(ClientFrame frame)
    {
        if (frame.Type == ClientFrameType.Ping)
        {
            Push(RealtimeHub.PongPush);
            return true;
        }
        if (frame.Type == ClientFrameType.Pong) return true;
        if (frame.Type == ClientFrameType.Connect) return await ConnectAsync(frame).ConfigureAwait(false);
        if (!IsConnected) throw NotConnected;
        switch (frame.Type)
        {
            case ClientFrameType.Subscribe: await SubscribeAsync(frame).ConfigureAwait(false); break;
            case ClientFrameType.Unsubscribe: await UnsubscribeAsync(frame).ConfigureAwait(false); break;
            case ClientFrameType.Publish: await PublishAsync(frame).ConfigureAwait(false); break;
            case ClientFrameType.History: await HistoryAsync(frame).ConfigureAwait(false); break;
            case ClientFrameType.Refresh: await RefreshAsync(frame).ConfigureAwait(false); break;
            default: await PresenceAsync(frame).ConfigureAwait(false); break;
        }
        return true;
    }

    private async ValueTask<bool> ConnectAsync(ClientFrame frame)
    {
        if (IsConnected) throw new ProtocolError(ErrorCode.BadRequest, "Already connected: send connect once per connection.");
        var options = hub.Options;
        bool recovered = false;
        SessionState? state = null;
        if (options.TokenSigningKey is { } signingKey)
        {
            _token = frame.Token is null ? null : await AccessToken.ValidateAsync(frame.Token, signingKey, hub.Time).ConfigureAwait(false);
            if (_token is null)
            {
                await Transport.CloseAsync(CloseCode.Unauthorized, "The token is missing or invalid: get a new token, then reconnect.").ConfigureAwait(false);
                return false;
            }
            _grants = _token.Grants;
        }
        if (frame.RecoveryKey is { } key)
        {
            if (!RecoveryKey.TryVerify(options.RecoveryKeySecret, key, out string clientId, out string connectionId) ||
                (_token is not null && _token.ClientId != clientId))
            {
                await Transport.CloseAsync(CloseCode.RecoveryKeyInvalid, "The recovery key is invalid: reconnect without recovery.").ConfigureAwait(false);
                return false;
            }
            state = await hub.TryReattachAsync(connectionId).ConfigureAwait(false);
            recovered = state is not null;
            // Not found (window passed, or the old connection is not yet known to be gone): same client, new
            // connection id, so the old connection's delayed presence leave cannot remove the new one's entries.
            state ??= new SessionState(clientId, hub.NewId("k-"));
        }
        string newClientId = _token?.ClientId ?? (IsValidClientId(frame.ClientId) ? frame.ClientId! : hub.NewId("c-"));
        state ??= new SessionState(newClientId, hub.NewId("k-"));
        State = state;
        _publishRate = new TokenBucket(options.PublishRate, hub.Time);
        hub.Attach(this);
        Diagnostics.RealtimeLog.SessionConnected(hub.Logger, state.ConnectionId, state.ClientId, recovered);

        var outcomes = new List<SubscriptionOutcome>();
        var pending = new List<(Subscription, StreamPosition, IReadOnlyList<ChannelMessage>)>();
        if (frame.RecoveryKey is not null && frame.RecoverPositions is { } positions)
        {
            foreach (var (channel, since) in positions)
            {
                if (_subscriptions.Count >= options.MaxSubscriptions) break;
                if (!_grants.Allows(channel, Capability.Subscribe)) continue;
                var subscription = await RegisterAsync(channel).ConfigureAwait(false);
                var history = await hub.Broker.HistoryAsync(channel, new HistoryQuery(int.MaxValue, HistoryDirection.Forward, since)).ConfigureAwait(false);
                outcomes.Add(new SubscriptionOutcome(channel, history.Position, history.Covered));
                pending.Add((subscription, history.Position, history.Messages));
            }
        }
        var limits = new ConnectionLimits(options.MaxMessageSize, options.MaxSubscriptions, options.PublishRate,
            (long)options.PingInterval.TotalMilliseconds, (long)options.RecoveryWindow.TotalMilliseconds,
            (long)options.PresenceGrace.TotalMilliseconds);
        string recoveryKey = RecoveryKey.Issue(options.RecoveryKeySecret, state.ClientId, state.ConnectionId, hub.NowMs);
        await SendAsync(ServerFrameWriter.Connected(frame.Id, state.ClientId, state.ConnectionId, recoveryKey, recovered,
            ExpiresIn(), limits, outcomes)).ConfigureAwait(false);
        ScheduleExpiry();
        foreach (var (subscription, position, replay) in pending)
            await subscription.GoLiveAsync(position, replay).ConfigureAwait(false);
        return true;
    }

    private static bool IsValidClientId(string? clientId) =>
        clientId is { Length: > 0 and <= 64 } && ChannelName.IsValid(clientId);

    private async ValueTask<Subscription> RegisterAsync(string channel)
    {
        var subscription = new Subscription(this, channel);
        _subscriptions.Add(channel, subscription);
        await hub.AddSubscriberAsync(subscription).ConfigureAwait(false);
        return subscription;
    }

    private async ValueTask SubscribeAsync(ClientFrame frame)
    {
        string channel = frame.Channel!;
        Require(channel, Capability.Subscribe);
        if (_subscriptions.ContainsKey(channel))
            throw new ProtocolError(ErrorCode.AlreadySubscribed, $"Already subscribed to \"{channel}\".");
        if (_subscriptions.Count >= hub.Options.MaxSubscriptions)
            throw new ProtocolError(ErrorCode.Forbidden, $"At most {hub.Options.MaxSubscriptions} subscriptions per connection: unsubscribe from a channel first.");
        var subscription = await RegisterAsync(channel).ConfigureAwait(false);
        try
        {
            StreamPosition position;
            bool? recovered = null;
            IReadOnlyList<ChannelMessage> replay = [];
            if (frame.Since is { } since)
            {
                var history = await hub.Broker.HistoryAsync(channel, new HistoryQuery(int.MaxValue, HistoryDirection.Forward, since)).ConfigureAwait(false);
                (position, recovered, replay) = (history.Position, history.Covered, history.Messages);
            }
            else if (frame.Rewind is { } rewind)
            {
                var history = await hub.Broker.HistoryAsync(channel, new HistoryQuery(rewind, HistoryDirection.Backward)).ConfigureAwait(false);
                position = history.Position;
                replay = history.Messages.Reverse().ToArray();
            }
            else
            {
                position = await hub.Broker.PositionAsync(channel).ConfigureAwait(false);
            }
            await SendAsync(ServerFrameWriter.Subscribed(frame.Id, new SubscriptionOutcome(channel, position, recovered))).ConfigureAwait(false);
            await subscription.GoLiveAsync(position, replay).ConfigureAwait(false);
        }
        catch
        {
            _subscriptions.Remove(channel);
            await hub.RemoveSubscriberAsync(subscription).ConfigureAwait(false);
            throw;
        }
    }

    private async ValueTask UnsubscribeAsync(ClientFrame frame)
    {
        string channel = frame.Channel!;
        if (!_subscriptions.Remove(channel, out var subscription))
            throw new ProtocolError(ErrorCode.NotSubscribed, $"Not subscribed to \"{channel}\".");
        await hub.RemoveSubscriberAsync(subscription).ConfigureAwait(false);
        // Presence belongs to subscribers: leaving the channel leaves its presence too.
        if (State!.PresenceChannels.TryRemove(channel, out _))
            await hub.Presence.LeaveAsync(channel, State.ConnectionId).ConfigureAwait(false);
        await SendAsync(ServerFrameWriter.Unsubscribed(frame.Id, channel)).ConfigureAwait(false);
    }

    private async ValueTask PublishAsync(ClientFrame frame)
    {
        string channel = frame.Channel!;
        Require(channel, Capability.Publish);
        var rules = hub.Options.RulesOf(channel);
        if (rules.Publish == PublishPolicy.ServerOnly)
            throw new ProtocolError(ErrorCode.Forbidden, $"Only the server publishes to \"{channel}\".");
        if (rules.Publish == PublishPolicy.Subscribers && !_subscriptions.ContainsKey(channel))
            throw new ProtocolError(ErrorCode.Forbidden, $"Subscribe to \"{channel}\" before publishing to it.");
        if (!_publishRate!.TryTake())
            throw new ProtocolError(ErrorCode.RateLimited, $"Publish rate exceeded: at most {hub.Options.PublishRate} messages per second.");
        var result = await hub.Broker.PublishAsync(channel, frame.Data!.Value, frame.MessageId, State!.Publisher).ConfigureAwait(false);
        await SendAsync(ServerFrameWriter.Ack(frame.Id, result.Message)).ConfigureAwait(false);
    }

    private async ValueTask HistoryAsync(ClientFrame frame)
    {
        Require(frame.Channel!, Capability.History);
        var result = await hub.Broker.HistoryAsync(frame.Channel!, new HistoryQuery(frame.Limit, frame.Direction, frame.Since)).ConfigureAwait(false);
        if (!result.Covered)
            throw new ProtocolError(ErrorCode.ContinuityLost,
                "History no longer reaches back to that position (or its epoch changed): refetch the channel's state.", "continuity_lost");
        await SendAsync(ServerFrameWriter.History(frame.Id, frame.Channel!, result)).ConfigureAwait(false);
    }

    private async ValueTask PresenceAsync(ClientFrame frame)
    {
        string channel = frame.Channel!;
        Require(channel, Capability.Presence);
        if (!hub.Options.RulesOf(channel).Presence)
            throw new ProtocolError(ErrorCode.Forbidden, $"Presence is disabled for the namespace of \"{channel}\".");
        if (!_subscriptions.ContainsKey(channel))
            throw new ProtocolError(ErrorCode.NotSubscribed, $"Subscribe to \"{channel}\" before using its presence.");
        var state = State!;
        var member = new PresenceMember(state.ClientId, state.ConnectionId, frame.Data ?? ReadOnlyMemory<byte>.Empty);
        switch (frame.Type)
        {
            case ClientFrameType.PresenceEnter:
                state.PresenceChannels[channel] = 0;
                await hub.Presence.EnterAsync(channel, member).ConfigureAwait(false);
                break;
            case ClientFrameType.PresenceUpdate:
                if (!await hub.Presence.UpdateAsync(channel, member).ConfigureAwait(false))
                    throw new ProtocolError(ErrorCode.NotSubscribed, $"Not present on \"{channel}\": send presence.enter first.");
                break;
            case ClientFrameType.PresenceLeave:
                state.PresenceChannels.TryRemove(channel, out _);
                if (!await hub.Presence.LeaveAsync(channel, state.ConnectionId).ConfigureAwait(false))
                    throw new ProtocolError(ErrorCode.NotSubscribed, $"Not present on \"{channel}\".");
                break;
            default:
                var members = await hub.Presence.MembersAsync(channel).ConfigureAwait(false);
                await SendAsync(ServerFrameWriter.Presence(frame.Id, channel, members)).ConfigureAwait(false);
                return;
        }
        await SendAsync(ServerFrameWriter.Ok(frame.Id)).ConfigureAwait(false);
    }
}
