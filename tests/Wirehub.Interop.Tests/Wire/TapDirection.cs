namespace Wirehub.Interop.Tests.Wire;

/// <summary>Which way bytes crossed a <see cref="WireTap"/>.</summary>
internal enum TapDirection
{
    ClientToServer,
    ServerToClient,
}
