using System.Buffers;
using System.Text.Json;
using Wirehub.Realtime.Broker;
using Wirehub.Realtime.Channels;

namespace Wirehub.Realtime.Protocol;

/// <summary>
/// Parses a client's text frame (one JSON object, PROTOCOL.md "Transport") with <see cref="Utf8JsonReader"/>. Unknown
/// fields are skipped; the <c>data</c> value is kept as its raw bytes. A malformed frame throws a
/// <see cref="ProtocolError"/> carrying the request's <c>id</c> when it could be read.
/// </summary>
internal static class ClientFrameParser
{
    public const int MaxMessageIdLength = 64;
    public const int MaxHistoryLimit = 1000;

    public static ClientFrame Parse(ReadOnlySequence<byte> payload, int maxDataSize, out long? id)
    {
        id = null;
        if (payload.IsSingleSegment) return Parse(payload.FirstSpan, maxDataSize, out id);
        var rented = ArrayPool<byte>.Shared.Rent((int)payload.Length);
        try
        {
            payload.CopyTo(rented);
            return Parse(rented.AsSpan(0, (int)payload.Length), maxDataSize, out id);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public static ClientFrame Parse(ReadOnlySpan<byte> json, int maxDataSize, out long? id)
    {
        id = null;
        string? type = null, channel = null, messageId = null, direction = null, token = null, clientId = null, recoveryKey = null;
        ReadOnlyMemory<byte>? data = null;
        StreamPosition? since = null;
        long? rewind = null, limit = null;
        Dictionary<string, StreamPosition>? positions = null;
        string? problem = null;
        int dataLength = 0;

        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                throw new ProtocolError(ErrorCode.BadRequest, "A frame must be one JSON object with a \"type\" field.");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.ValueSpan;
                reader.Read();
                if (name.SequenceEqual("type"u8)) type = ReadString(ref reader, "type", ref problem);
                else if (name.SequenceEqual("id"u8))
                {
                    if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long value) && value > 0) id = value;
                    else problem ??= "\"id\" must be a positive integer.";
                }
                else if (name.SequenceEqual("channel"u8)) channel = ReadString(ref reader, "channel", ref problem);
                else if (name.SequenceEqual("data"u8))
                {
                    int start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    int end = (int)reader.BytesConsumed;
                    dataLength = end - start;
                    if (dataLength <= maxDataSize) data = json[start..end].ToArray();
                }
                else if (name.SequenceEqual("messageId"u8)) messageId = ReadString(ref reader, "messageId", ref problem);
                else if (name.SequenceEqual("since"u8)) since = ReadPosition(ref reader, "since", ref problem);
                else if (name.SequenceEqual("rewind"u8)) rewind = ReadInteger(ref reader, "rewind", ref problem);
                else if (name.SequenceEqual("limit"u8)) limit = ReadInteger(ref reader, "limit", ref problem);
                else if (name.SequenceEqual("direction"u8)) direction = ReadString(ref reader, "direction", ref problem);
                else if (name.SequenceEqual("token"u8)) token = ReadString(ref reader, "token", ref problem);
                else if (name.SequenceEqual("clientId"u8)) clientId = ReadString(ref reader, "clientId", ref problem);
                else if (name.SequenceEqual("recover"u8)) ReadRecover(ref reader, ref recoveryKey, ref positions, ref problem);
                else reader.Skip();
            }
        }
        catch (JsonException)
        {
            throw new ProtocolError(ErrorCode.BadRequest, "The frame is not valid JSON: send one JSON object per text frame.");
        }

        ClientFrameType frameType = type switch
        {
            "connect" => ClientFrameType.Connect,
            "refresh" => ClientFrameType.Refresh,
            "ping" => ClientFrameType.Ping,
            "pong" => ClientFrameType.Pong,
            "subscribe" => ClientFrameType.Subscribe,
            "unsubscribe" => ClientFrameType.Unsubscribe,
            "publish" => ClientFrameType.Publish,
            "history" => ClientFrameType.History,
            "presence.enter" => ClientFrameType.PresenceEnter,
            "presence.update" => ClientFrameType.PresenceUpdate,
            "presence.leave" => ClientFrameType.PresenceLeave,
            "presence.get" => ClientFrameType.PresenceGet,
            null => throw new ProtocolError(ErrorCode.BadRequest, problem ?? "The frame has no \"type\": every frame needs a string \"type\"."),
            _ => throw new ProtocolError(ErrorCode.BadRequest, $"Unknown type \"{type}\": see PROTOCOL.md for the types a client may send."),
        };
        if (problem is not null) throw new ProtocolError(ErrorCode.BadRequest, problem);
        bool isRequest = frameType is not (ClientFrameType.Ping or ClientFrameType.Pong);
        if (isRequest && id is null)
            throw new ProtocolError(ErrorCode.BadRequest, $"A \"{type}\" request needs an \"id\": a positive integer.");
        bool needsChannel = frameType is not (ClientFrameType.Connect or ClientFrameType.Refresh or ClientFrameType.Ping or ClientFrameType.Pong);
        if (needsChannel)
        {
            if (channel is null) throw new ProtocolError(ErrorCode.BadRequest, $"A \"{type}\" request needs a \"channel\".");
            if (!ChannelName.IsValid(channel))
                throw new ProtocolError(ErrorCode.BadRequest, "Bad channel name: use 1-255 characters from A-Z a-z 0-9 _ - : . @ / = ,");
        }
        if (dataLength > maxDataSize)
            throw new ProtocolError(ErrorCode.TooLarge, $"\"data\" is {dataLength} bytes; at most {maxDataSize} are allowed.");
        if (frameType == ClientFrameType.Publish && data is null)
            throw new ProtocolError(ErrorCode.BadRequest, "A \"publish\" request needs \"data\": any JSON value.");
        if (messageId is { Length: 0 or > MaxMessageIdLength })
            throw new ProtocolError(ErrorCode.BadRequest, $"\"messageId\" must be 1-{MaxMessageIdLength} characters.");
        if (rewind is { } r && r is < 1 or > MaxHistoryLimit)
            throw new ProtocolError(ErrorCode.BadRequest, $"\"rewind\" must be between 1 and {MaxHistoryLimit}.");
        if (limit is { } l && l is < 1 or > MaxHistoryLimit)
            throw new ProtocolError(ErrorCode.BadRequest, $"\"limit\" must be between 1 and {MaxHistoryLimit}.");
        if (since is not null && rewind is not null)
            throw new ProtocolError(ErrorCode.BadRequest, "Give either \"since\" or \"rewind\", not both.");
        var historyDirection = direction switch
        {
            null or "forward" => HistoryDirection.Forward,
            "backward" => HistoryDirection.Backward,
            _ => throw new ProtocolError(ErrorCode.BadRequest, "\"direction\" must be \"forward\" or \"backward\"."),
        };
        return new ClientFrame
        {
            Type = frameType, Id = id ?? 0, Channel = channel, Data = data, MessageId = messageId, Since = since,
            Rewind = (int?)rewind, Limit = (int)(limit ?? 100), Direction = historyDirection, Token = token,
            ClientId = clientId, RecoveryKey = recoveryKey, RecoverPositions = positions,
        };
    }

    private static string? ReadString(ref Utf8JsonReader reader, string field, ref string? problem)
    {
        if (reader.TokenType == JsonTokenType.String) return reader.GetString();
        problem ??= $"\"{field}\" must be a string.";
        reader.Skip();
        return null;
    }

    private static long? ReadInteger(ref Utf8JsonReader reader, string field, ref string? problem)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long value)) return value;
        problem ??= $"\"{field}\" must be an integer.";
        reader.Skip();
        return null;
    }

    private static StreamPosition? ReadPosition(ref Utf8JsonReader reader, string field, ref string? problem)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            problem ??= $"\"{field}\" must be a position: {{\"serial\": N, \"epoch\": \"...\"}}.";
            reader.Skip();
            return null;
        }
        long? serial = null;
        string? epoch = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool isSerial = reader.ValueSpan.SequenceEqual("serial"u8), isEpoch = reader.ValueSpan.SequenceEqual("epoch"u8);
            reader.Read();
            if (isSerial && reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long s) && s >= 0) serial = s;
            else if (isEpoch && reader.TokenType == JsonTokenType.String) epoch = reader.GetString();
            else reader.Skip();
        }
        if (serial is null || epoch is null)
        {
            problem ??= $"\"{field}\" must be a position: {{\"serial\": N, \"epoch\": \"...\"}} with N >= 0.";
            return null;
        }
        return new StreamPosition(serial.Value, epoch);
    }

    private static void ReadRecover(ref Utf8JsonReader reader, ref string? key, ref Dictionary<string, StreamPosition>? positions,
        ref string? problem)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            problem ??= "\"recover\" must be an object: {\"key\": \"...\", \"positions\": {...}}.";
            reader.Skip();
            return;
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool isKey = reader.ValueSpan.SequenceEqual("key"u8), isPositions = reader.ValueSpan.SequenceEqual("positions"u8);
            reader.Read();
            if (isKey) key = ReadString(ref reader, "recover.key", ref problem);
            else if (isPositions && reader.TokenType == JsonTokenType.StartObject)
            {
                positions = new Dictionary<string, StreamPosition>(StringComparer.Ordinal);
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    string channel = reader.GetString()!;
                    reader.Read();
                    if (ReadPosition(ref reader, "recover.positions." + channel, ref problem) is { } p)
                    {
                        if (ChannelName.IsValid(channel)) positions[channel] = p;
                        else problem ??= $"Bad channel name in \"recover.positions\": {channel}.";
                    }
                }
            }
            else if (isPositions)
            {
                problem ??= "\"recover.positions\" must be an object mapping channels to positions.";
                reader.Skip();
            }
            else reader.Skip();
        }
        if (key is null) problem ??= "\"recover\" needs \"key\": the recoveryKey of the previous connection.";
    }
}
