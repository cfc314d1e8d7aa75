using Wirehub.Realtime.Client;

namespace Wirehub.Realtime.Tests.Client.Support;

/// <summary>Clients for the scripted server: short backoff so reconnect tests do not wait on the production defaults.</summary>
internal static class TestClient
{
    public static RealtimeClient For(FakeWirehubServer server, Action<RealtimeClientOptions>? configure = null)
    {
        var options = new RealtimeClientOptions
        {
            ReconnectInitialDelay = TimeSpan.FromMilliseconds(20),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(100),
        };
        configure?.Invoke(options);
        return new RealtimeClient(server.Url, options);
    }
}
