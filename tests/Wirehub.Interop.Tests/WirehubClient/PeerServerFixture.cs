using Wirehub.Interop.Tests.ChildPeers;

namespace Wirehub.Interop.Tests.WirehubClient;

/// <summary>One third-party server process per test class; tests use distinct paths, so they never share a connection.</summary>
public abstract class PeerServerFixture : IAsyncLifetime
{
    internal PeerServer Server { get; private set; } = null!;

    private protected abstract Task<PeerServer> StartAsync();

    public async Task InitializeAsync() => Server = await StartAsync().ConfigureAwait(false);

    public async Task DisposeAsync()
    {
        if (Server is not null) await Server.DisposeAsync().ConfigureAwait(false);
    }
}
