using Wirehub.Interop.Tests.ChildPeers;

namespace Wirehub.Interop.Tests.WirehubClient;

/// <summary>The Node <c>ws</c> WebSocketServer (peers/node/server.js), permessage-deflate on.</summary>
public sealed class NodeWsServerFixture : PeerServerFixture
{
    private protected override Task<PeerServer> StartAsync() => PeerServer.StartNodeAsync();
}
