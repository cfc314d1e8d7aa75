using Wirehub.Interop.Tests.Hosts;
using Wirehub.Interop.Tests.ChildPeers;

namespace Wirehub.Interop.Tests.WirehubServer;

/// <summary>Our server with the Node <c>ws</c> client (peers/node/client.js).</summary>
public sealed class NodeWsClientTests(WirehubServers servers) : PeerClientScenarios(servers), IClassFixture<WirehubServers>
{
    private protected override PeerClient StartClient(Uri url, bool deflate = true) => PeerClient.StartNode(url, deflate);
}
