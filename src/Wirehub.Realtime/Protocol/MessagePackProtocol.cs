namespace Wirehub.Realtime.Protocol;

/// <summary>The binary encoding of <c>wirehub.v1</c> (PROTOCOL.md, "Binary encoding (wirehub.v1.msgpack)").</summary>
internal static class MessagePackProtocol
{
    /// <summary>The WebSocket subprotocol of the binary encoding.</summary>
    public const string Subprotocol = "wirehub.v1.msgpack";

    /// <summary>The encoding of a connection that agreed on <paramref name="subprotocol"/>; JSON for anything else.</summary>
    public static FrameEncoding EncodingOf(string? subprotocol) =>
        subprotocol == Subprotocol ? FrameEncoding.MessagePack : FrameEncoding.Json;
}
