namespace Wirehub.Interop.Tests.WirehubClient;

/// <summary>Our client with the Node <c>ws</c> server.</summary>
public sealed class NodeWsServerTests(NodeWsServerFixture fixture) : PeerServerScenarios(fixture), IClassFixture<NodeWsServerFixture>;
