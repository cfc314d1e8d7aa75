using System.Text;
using Wirehub.Protocol;

namespace Wirehub.Cli.Bench;

/// <summary>
/// The <c>wirehub.v1</c> requests a fan-out client sends once, before the measurement (docs/PROTOCOL.md "Session" and
/// "Channels"), as masked text frames ready to send.
/// </summary>
internal static class RealtimeRequestFrames
{
    /// <summary>The subprotocol the realtime endpoint requires in the handshake.</summary>
    public const string Subprotocol = "wirehub.v1";

    /// <summary><c>connect</c> (id 1): the first frame of every session.</summary>
    public static byte[] Connect() => Masked("{\"type\":\"connect\",\"id\":1}");

    /// <summary><c>connect</c> (id 1) then <c>subscribe</c> (id 2), in one send: the server answers them in order.</summary>
    public static byte[] ConnectAndSubscribe(string channel) =>
        [.. Connect(), .. Masked($"{{\"type\":\"subscribe\",\"id\":2,\"channel\":\"{channel}\"}}")];

    private static byte[] Masked(string json) =>
        new MaskedFrameBlock(Opcode.Text, Encoding.UTF8.GetBytes(json), 1).First(1).ToArray();
}
