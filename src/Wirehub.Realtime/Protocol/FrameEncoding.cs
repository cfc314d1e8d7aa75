namespace Wirehub.Realtime.Protocol;

/// <summary>How a connection's frames are encoded, fixed by the subprotocol agreed in its WebSocket handshake.</summary>
internal enum FrameEncoding
{
    /// <summary><c>wirehub.v1</c>: one JSON object per text frame.</summary>
    Json,

    /// <summary><c>wirehub.v1.msgpack</c>: one MessagePack map per binary frame, with the JSON frame's keys and meaning.</summary>
    MessagePack,
}
