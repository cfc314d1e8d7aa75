using Wirehub.Interop.Tests.ChildPeers;

namespace Wirehub.Interop.Tests.WirehubClient;

/// <summary>The Python <c>websockets</c> serve() (peers/python/server.py), permessage-deflate on.</summary>
public sealed class PythonWebsocketsServerFixture : PeerServerFixture
{
    private protected override Task<PeerServer> StartAsync() => PeerServer.StartPythonAsync();
}
