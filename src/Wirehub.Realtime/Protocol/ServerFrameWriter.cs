using System.Text.Json;
using Wirehub.Realtime.Broker;
using Wirehub.WebSockets;

namespace Wirehub.Realtime.Protocol;

/// <summary>
/// Encodes server frames with <see cref="Utf8JsonWriter"/> into pooled buffers. The writer and its buffer are kept per
/// thread, so encoding a frame allocates nothing but the pooled result.
/// </summary>
internal static class ServerFrameWriter
{
    [ThreadStatic] private static PooledBufferWriter? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    private static Utf8JsonWriter Start()
    {
        var buffer = t_buffer ??= new PooledBufferWriter();
        buffer.Reset();
        var writer = t_writer ??= new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true });
        writer.Reset(buffer);
        writer.WriteStartObject();
        return writer;
    }

    private static PooledFrame Finish(Utf8JsonWriter writer)
    {
        writer.WriteEndObject();
        writer.Flush();
        return t_buffer!.Detach();
    }

    public static PreparedMessage PrepareMessagePush(ChannelMessage message)
    {
        var w = Start();
        WriteMessageFields(w, message);
        w.WriteEndObject();
        w.Flush();
        var prepared = PreparedMessage.Create(MessageType.Text, t_buffer!.WrittenSpan);
        t_buffer.Reset();
        return prepared;
    }

    private static void WriteMessageFields(Utf8JsonWriter w, ChannelMessage message)
    {
        w.WriteString("type"u8, "message"u8);
        w.WriteString("channel"u8, message.Channel);
        w.WriteNumber("serial"u8, message.Serial);
        w.WriteString("epoch"u8, message.Epoch);
        w.WriteString("id"u8, message.Id);
        w.WriteNumber("time"u8, message.Time);
        if (message.Publisher is { } p)
        {
            w.WriteStartObject("publisher"u8);
            w.WriteString("clientId"u8, p.ClientId);
            w.WriteString("connectionId"u8, p.ConnectionId);
            w.WriteEndObject();
        }
        w.WritePropertyName("data"u8);
        // The bytes were validated as one JSON value when they came in; they go out as they are.
        w.WriteRawValue(message.Data.Span, skipInputValidation: true);
    }

    private static void WritePosition(Utf8JsonWriter w, StreamPosition position)
    {
        w.WriteStartObject("position"u8);
        w.WriteNumber("serial"u8, position.Serial);
        w.WriteString("epoch"u8, position.Epoch);
        w.WriteEndObject();
    }

    private static void WriteMember(Utf8JsonWriter w, PresenceMember member)
    {
        w.WriteString("clientId"u8, member.ClientId);
        w.WriteString("connectionId"u8, member.ConnectionId);
        if (!member.Data.IsEmpty)
        {
            w.WritePropertyName("data"u8);
            w.WriteRawValue(member.Data.Span, skipInputValidation: true);
        }
    }

    public static PooledFrame Connected(long id, string clientId, string connectionId, string recoveryKey, bool recovered,
        long? expiresIn, ConnectionLimits limits, IReadOnlyList<SubscriptionOutcome> subscriptions)
    {
        var w = Start();
        w.WriteString("type"u8, "connected"u8);
        w.WriteNumber("id"u8, id);
        w.WriteString("clientId"u8, clientId);
        w.WriteString("connectionId"u8, connectionId);
        w.WriteString("recoveryKey"u8, recoveryKey);
        w.WriteBoolean("recovered"u8, recovered);
        if (expiresIn is { } e) w.WriteNumber("expiresIn"u8, e);
        w.WriteStartObject("limits"u8);
        w.WriteNumber("maxMessageSize"u8, limits.MaxMessageSize);
        w.WriteNumber("maxSubscriptions"u8, limits.MaxSubscriptions);
        w.WriteNumber("publishRate"u8, limits.PublishRate);
        w.WriteNumber("pingInterval"u8, limits.PingInterval);
        w.WriteNumber("recoveryWindow"u8, limits.RecoveryWindow);
        w.WriteNumber("presenceGrace"u8, limits.PresenceGrace);
        w.WriteEndObject();
        w.WriteStartArray("subscriptions"u8);
        foreach (var s in subscriptions)
        {
            w.WriteStartObject();
            WriteSubscriptionFields(w, s);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        return Finish(w);
    }

    private static void WriteSubscriptionFields(Utf8JsonWriter w, SubscriptionOutcome s)
    {
        w.WriteString("channel"u8, s.Channel);
        WritePosition(w, s.Position);
        if (s.Recovered is { } recovered)
        {
            w.WriteBoolean("recovered"u8, recovered);
            if (!recovered) w.WriteString("reason"u8, "continuity_lost"u8);
        }
    }

    public static PooledFrame Subscribed(long id, SubscriptionOutcome outcome)
    {
        var w = Start();
        w.WriteString("type"u8, "subscribed"u8);
        w.WriteNumber("id"u8, id);
        WriteSubscriptionFields(w, outcome);
        return Finish(w);
    }

    public static PooledFrame Unsubscribed(long id, string channel)
    {
        var w = Start();
        w.WriteString("type"u8, "unsubscribed"u8);
        w.WriteNumber("id"u8, id);
        w.WriteString("channel"u8, channel);
        return Finish(w);
    }

    public static PooledFrame Ack(long id, ChannelMessage message)
    {
        var w = Start();
        w.WriteString("type"u8, "ack"u8);
        w.WriteNumber("id"u8, id);
        w.WriteString("channel"u8, message.Channel);
        w.WriteNumber("serial"u8, message.Serial);
        w.WriteString("epoch"u8, message.Epoch);
        w.WriteString("messageId"u8, message.Id);
        return Finish(w);
    }

    public static PooledFrame History(long id, string channel, HistoryResult result)
    {
        // Encode any push not yet cached first: encoding one reuses this thread's writer.
        foreach (var m in result.Messages) _ = m.Push;
        var w = Start();
        w.WriteString("type"u8, "history"u8);
        w.WriteNumber("id"u8, id);
        w.WriteString("channel"u8, channel);
        WritePosition(w, result.Position);
        w.WriteStartArray("messages"u8);
        foreach (var m in result.Messages) w.WriteRawValue(m.Push.Payload.Span, skipInputValidation: true);
        w.WriteEndArray();
        return Finish(w);
    }

    public static PooledFrame Ok(long id)
    {
        var w = Start();
        w.WriteString("type"u8, "ok"u8);
        w.WriteNumber("id"u8, id);
        return Finish(w);
    }

    public static PooledFrame Presence(long id, string channel, IReadOnlyList<PresenceMember> members)
    {
        var w = Start();
        w.WriteString("type"u8, "presence"u8);
        w.WriteNumber("id"u8, id);
        w.WriteString("channel"u8, channel);
        w.WriteStartArray("members"u8);
        foreach (var m in members)
        {
            w.WriteStartObject();
            WriteMember(w, m);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        return Finish(w);
    }

    public static PreparedMessage PresenceEventPush(PresenceEvent e)
    {
        var w = Start();
        w.WriteString("type"u8, "presence.event"u8);
        w.WriteString("channel"u8, e.Channel);
        w.WriteString("action"u8, e.Action switch { PresenceAction.Enter => "enter", PresenceAction.Update => "update", _ => "leave" });
        w.WriteStartObject("member"u8);
        WriteMember(w, e.Member);
        w.WriteEndObject();
        w.WriteEndObject();
        w.Flush();
        var prepared = PreparedMessage.Create(MessageType.Text, t_buffer!.WrittenSpan);
        t_buffer.Reset();
        return prepared;
    }

    public static PooledFrame Error(long? id, int code, string message, string? reason = null)
    {
        var w = Start();
        w.WriteString("type"u8, "error"u8);
        if (id is { } i) w.WriteNumber("id"u8, i);
        w.WriteNumber("code"u8, code);
        w.WriteString("message"u8, message);
        w.WriteBoolean("retriable"u8, ErrorCode.IsRetriable(code));
        if (reason is not null) w.WriteString("reason"u8, reason);
        return Finish(w);
    }

    public static PooledFrame Refreshed(long id, long expiresIn)
    {
        var w = Start();
        w.WriteString("type"u8, "refreshed"u8);
        w.WriteNumber("id"u8, id);
        w.WriteNumber("expiresIn"u8, expiresIn);
        return Finish(w);
    }

    public static PooledFrame RefreshRequired(long expiresIn)
    {
        var w = Start();
        w.WriteString("type"u8, "refresh_required"u8);
        w.WriteNumber("expiresIn"u8, expiresIn);
        return Finish(w);
    }

    public static PooledFrame Bare(ReadOnlySpan<byte> type)
    {
        var w = Start();
        w.WriteString("type"u8, type);
        return Finish(w);
    }

    public static PooledFrame PublishResponse(StreamPosition position)
    {
        var w = Start();
        w.WriteNumber("serial"u8, position.Serial);
        w.WriteString("epoch"u8, position.Epoch);
        return Finish(w);
    }
}
