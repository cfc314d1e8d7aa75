using System.Text.Json;

namespace Wirehub.Realtime.Client;

/// <summary>
/// One channel of a <see cref="RealtimeClient"/>: subscribe to its messages, publish, read its history and take part
/// in its presence set. Get it with <see cref="RealtimeClient.Channel"/>; there is one instance per name.
/// </summary>
/// <remarks>
/// Handlers and events run on the client's receive loop, one at a time, in the order the server sent them: a handler
/// that blocks delays every later message. Exceptions thrown by handlers are caught and ignored.
/// </remarks>
public sealed class RealtimeChannel
{
    private readonly RealtimeClient _client;

    internal RealtimeChannel(RealtimeClient client, string name)
    {
        _client = client;
        Name = name;
    }

    /// <summary>The channel's name, for example <c>room:lobby</c>.</summary>
    public string Name { get; }

    // Guarded by the client's lock.
    internal ChannelSubscriptionState SubscriptionState;
    internal StreamPosition? LastPosition;
    internal Action<ChannelMessage>? Handlers;
    internal Task? PendingSubscribe;
    internal JsonElement? EnteredData;
    internal bool Entered;

    /// <summary>True once the server has confirmed the subscription (and while it is being recovered).</summary>
    public bool IsSubscribed => _client.Read(() => SubscriptionState == ChannelSubscriptionState.Subscribed);

    /// <summary>The position of the last message delivered to the handlers, or where the subscription started; null when not subscribed.</summary>
    public StreamPosition? Position => _client.Read(() => LastPosition);

    /// <summary>A member entered, updated or left the channel's presence set (only while subscribed).</summary>
    public event EventHandler<PresenceChangedEventArgs>? PresenceChanged;

    /// <summary>Messages may have been missed across a reconnect (the server said <c>recovered: false</c>): refetch the channel's state.</summary>
    public event EventHandler<ContinuityLostEventArgs>? ContinuityLost;

    /// <summary>
    /// Subscribes and adds <paramref name="handler"/>, which then receives the channel's messages in serial order, each
    /// exactly once, across reconnects. Further calls add handlers to the same subscription.
    /// </summary>
    /// <exception cref="RealtimeException">The server refused (403, 429, ...).</exception>
    public Task SubscribeAsync(Action<ChannelMessage> handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return _client.SubscribeAsync(this, handler, cancellationToken);
    }

    /// <summary>Removes every handler and ends the subscription.</summary>
    public Task UnsubscribeAsync(CancellationToken cancellationToken = default) => _client.UnsubscribeAsync(this, cancellationToken);

    /// <summary>
    /// Publishes <paramref name="data"/> (serialized with <see cref="JsonSerializer"/>) and returns the server's ack.
    /// The publish carries <paramref name="messageId"/>, or a generated one: if the connection drops before the ack,
    /// it is sent again with the same id after reconnecting, so it is published once.
    /// </summary>
    /// <exception cref="RealtimeException">The server refused (413 too large, 429 rate, 503 broker unavailable, ...).</exception>
    /// <exception cref="TimeoutException">No ack within <see cref="RealtimeClientOptions.SendTimeout"/>.</exception>
    public Task<PublishAck> PublishAsync(object? data, string? messageId = null, CancellationToken cancellationToken = default) =>
        PublishAsync(JsonSerializer.SerializeToElement(data), messageId, cancellationToken);

    /// <summary>Publishes a JSON value; see <see cref="PublishAsync(object?, string?, CancellationToken)"/>.</summary>
    public Task<PublishAck> PublishAsync(JsonElement data, string? messageId = null, CancellationToken cancellationToken = default)
    {
        if (messageId is { Length: 0 or > 64 })
            throw new ArgumentException("A messageId is 1-64 characters; pass null to have one generated.", nameof(messageId));
        return _client.PublishAsync(this, data.Clone(), messageId ?? NewMessageId(), cancellationToken);
    }

    /// <summary>Reads stored messages.</summary>
    /// <param name="limit">1-1000.</param>
    /// <param name="direction">Oldest first (forward) or newest first (backward).</param>
    /// <param name="since">Only messages after this position.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <exception cref="RealtimeException">410 (<c>continuity_lost</c>) when <paramref name="since"/> is no longer available.</exception>
    public Task<HistoryPage> HistoryAsync(int limit = 100, HistoryDirection direction = HistoryDirection.Forward,
        StreamPosition? since = null, CancellationToken cancellationToken = default)
    {
        if (limit is < 1 or > 1000) throw new ArgumentOutOfRangeException(nameof(limit), limit, "A history limit is 1-1000.");
        return _client.HistoryAsync(this, limit, direction, since, cancellationToken);
    }

    /// <summary>Enters the channel's presence set with <paramref name="data"/> (requires a subscription).</summary>
    public Task EnterAsync(object? data = null, CancellationToken cancellationToken = default) =>
        _client.PresenceAsync(this, "presence.enter", ToElement(data), cancellationToken);

    /// <summary>Replaces this connection's presence data.</summary>
    public Task UpdateAsync(object? data, CancellationToken cancellationToken = default) =>
        _client.PresenceAsync(this, "presence.update", ToElement(data), cancellationToken);

    /// <summary>Leaves the channel's presence set.</summary>
    public Task LeaveAsync(CancellationToken cancellationToken = default) =>
        _client.PresenceAsync(this, "presence.leave", null, cancellationToken);

    /// <summary>The members present now.</summary>
    public Task<IReadOnlyList<PresenceMember>> GetMembersAsync(CancellationToken cancellationToken = default) =>
        _client.GetMembersAsync(this, cancellationToken);

    internal void RaisePresenceChanged(PresenceChangedEventArgs e)
    {
        try { PresenceChanged?.Invoke(this, e); } catch (Exception) { }
    }

    internal void RaiseContinuityLost(ContinuityLostEventArgs e)
    {
        try { ContinuityLost?.Invoke(this, e); } catch (Exception) { }
    }

    private static JsonElement? ToElement(object? data) => data switch
    {
        null => null,
        JsonElement element => element.Clone(),
        _ => JsonSerializer.SerializeToElement(data),
    };

    private static string NewMessageId() => "m-" + Guid.NewGuid().ToString("N");
}
