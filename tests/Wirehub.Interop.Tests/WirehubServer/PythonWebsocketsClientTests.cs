using Wirehub.Interop.Tests.Hosts;
using Wirehub.Interop.Tests.ChildPeers;

namespace Wirehub.Interop.Tests.WirehubServer;

/// <summary>Our server with the Python <c>websockets</c> client (peers/python/client.py).</summary>
public sealed class PythonWebsocketsClientTests(WirehubServers servers) : PeerClientScenarios(servers), IClassFixture<WirehubServers>
{
    private protected override PeerClient StartClient(Uri url, bool deflate = true) => PeerClient.StartPython(url, deflate);
}
