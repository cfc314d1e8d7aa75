namespace Wirehub.Interop.Tests.Hosts;

/// <summary>How a connection ended as the server handler saw it: <c>CloseStatus</c> and <c>CloseReason</c>.</summary>
internal sealed record ServerClose(ushort? Status, string? Reason);
