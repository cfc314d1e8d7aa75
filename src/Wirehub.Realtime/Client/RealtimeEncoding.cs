namespace Wirehub.Realtime.Client;

/// <summary>How a <see cref="RealtimeClient"/> encodes its frames on the wire (PROTOCOL.md, "Binary encoding").</summary>
public enum RealtimeEncoding
{
    /// <summary>JSON text frames, subprotocol <c>wirehub.v1</c> (the default).</summary>
    Json,

    /// <summary>
    /// MessagePack binary frames, subprotocol <c>wirehub.v1.msgpack</c>: the same frames and the same API, smaller and
    /// faster to parse on the wire. Message and presence data stay <see cref="System.Text.Json.JsonElement"/> values.
    /// </summary>
    MessagePack,
}
