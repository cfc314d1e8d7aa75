using System.Net;
using System.Net.Sockets;

namespace Wirehub.Cli.Tests.Support;

/// <summary>Loopback ports for tests that must name one.</summary>
internal static class FreePort
{
    /// <summary>A port nothing listens on right now (the system's next ephemeral one).</summary>
    public static int Find()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
