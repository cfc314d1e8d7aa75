using System.Text.Json;

namespace Wirehub.Realtime.Tests.Transports.Support;

/// <summary>The <c>connect</c> frame of a client resuming after the last message it processed.</summary>
internal static class Recovery
{
    public static string Connect(JsonElement connected, string channel, JsonElement lastMessage) =>
        $"{{\"type\":\"connect\",\"id\":1,\"recover\":{{\"key\":\"{connected.GetProperty("recoveryKey").GetString()}\"," +
        $"\"positions\":{{\"{channel}\":{{\"serial\":{lastMessage.GetProperty("serial").GetInt64()}," +
        $"\"epoch\":\"{lastMessage.GetProperty("epoch").GetString()}\"}}}}}}}}";
}
