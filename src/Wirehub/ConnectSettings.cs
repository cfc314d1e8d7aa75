using Wirehub.WebSockets;

namespace Wirehub.Cli;

/// <summary>What <c>wirehub connect</c> was asked to do, after its arguments were checked.</summary>
internal sealed record ConnectSettings(
    Uri Url,
    WebSocketClientOptions ClientOptions,
    bool SendBinary,
    BinaryDisplay BinaryDisplay,
    ushort CloseCode,
    string CloseReason,
    TimeSpan Wait);
