namespace Wirehub.Interop.Tests.WirehubClient;

/// <summary>Our client with the Python <c>websockets</c> server.</summary>
public sealed class PythonWebsocketsServerTests(PythonWebsocketsServerFixture fixture) : PeerServerScenarios(fixture), IClassFixture<PythonWebsocketsServerFixture>;
