using System.Buffers;
using System.Text.Json;

namespace Wirehub.Realtime.Server.Transports;

/// <summary>Writes a close as the JSON object both fallback transports carry: <c>{"code":N,"reason":"..."}</c>.</summary>
internal static class TransportCloseJson
{
    /// <summary>Writes the object; returns its length in bytes.</summary>
    public static int Write(IBufferWriter<byte> writer, TransportClose close)
    {
        // Once per session: a writer of its own is simpler than sharing one.
        using var json = new Utf8JsonWriter(writer);
        json.WriteStartObject();
        json.WriteNumber("code"u8, close.Code);
        json.WriteString("reason"u8, close.Reason);
        json.WriteEndObject();
        json.Flush();
        return (int)json.BytesCommitted;
    }
}
