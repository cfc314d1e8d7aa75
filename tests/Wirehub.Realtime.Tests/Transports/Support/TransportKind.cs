namespace Wirehub.Realtime.Tests.Transports.Support;

public enum TransportKind
{
    WebSocket,
    Sse,
    Poll,
}
