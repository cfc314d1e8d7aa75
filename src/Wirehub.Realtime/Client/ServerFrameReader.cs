using System.Text.Json;

namespace Wirehub.Realtime.Client;

/// <summary>Reads the fields of server frames leniently: unknown fields are ignored (PROTOCOL.md, "Transport").</summary>
internal static class ServerFrameReader
{
    public static string? GetString(JsonElement frame, string name) =>
        frame.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static long? GetInt64(JsonElement frame, string name) =>
        frame.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long n) ? n : null;

    public static bool? GetBoolean(JsonElement frame, string name) =>
        frame.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;

    public static StreamPosition? GetPosition(JsonElement frame, string name)
    {
        if (!frame.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Object) return null;
        return GetInt64(value, "serial") is { } serial && GetString(value, "epoch") is { } epoch ? new StreamPosition(serial, epoch) : null;
    }

    /// <summary>A <c>message</c> push or an entry of a history answer; <paramref name="channel"/> when the entry omits it.</summary>
    public static ChannelMessage ReadMessage(JsonElement message, string channel) => ReadMessage(message, channel, null);

    /// <summary>A <c>message</c> push whose channel and epoch are already known (their strings are reused).</summary>
    public static ChannelMessage ReadMessage(JsonElement message, string channel, string? epoch)
    {
        PublisherIdentity? publisher = null;
        if (message.TryGetProperty("publisher", out var p) && p.ValueKind == JsonValueKind.Object)
            publisher = new PublisherIdentity(GetString(p, "clientId") ?? "", GetString(p, "connectionId") ?? "");
        return new ChannelMessage
        {
            Channel = epoch is null ? GetString(message, "channel") ?? channel : channel,
            Serial = GetInt64(message, "serial") ?? 0,
            Epoch = epoch ?? GetString(message, "epoch") ?? "",
            Id = GetString(message, "id") ?? "",
            Time = DateTimeOffset.FromUnixTimeMilliseconds(GetInt64(message, "time") ?? 0),
            Publisher = publisher,
            Data = message.TryGetProperty("data", out var data) ? data.Clone() : default,
        };
    }

    public static PresenceMember ReadMember(JsonElement member) => new(
        GetString(member, "clientId") ?? "",
        GetString(member, "connectionId") ?? "",
        member.TryGetProperty("data", out var data) ? data.Clone() : default);

    public static RealtimeException ReadError(JsonElement error)
    {
        int code = (int)(GetInt64(error, "code") ?? 500);
        string message = GetString(error, "message") ?? $"The server refused the request with error {code}.";
        return new RealtimeException(code, message, GetBoolean(error, "retriable") ?? false, GetString(error, "reason"));
    }
}
