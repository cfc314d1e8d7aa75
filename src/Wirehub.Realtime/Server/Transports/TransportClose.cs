namespace Wirehub.Realtime.Server.Transports;

/// <summary>How an emulated transport closed: the code and reason its client receives (PROTOCOL.md, "Close codes").</summary>
internal sealed record TransportClose(ushort Code, string Reason);
