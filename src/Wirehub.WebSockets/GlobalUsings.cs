// The connection exposes a CloseStatus property; the codes live in Wirehub.Protocol.CloseStatus.
global using CloseCode = Wirehub.Protocol.CloseStatus;
