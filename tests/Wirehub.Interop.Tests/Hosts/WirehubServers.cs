using Wirehub.Cli;

namespace Wirehub.Interop.Tests.Hosts;

/// <summary>
/// Our servers, started once per test class: the shipped <see cref="EchoServer"/> for plain echo scenarios, and a
/// <see cref="ScenarioServer"/> for those that need a scripted handler. Tests use distinct paths, so they never share
/// a connection.
/// </summary>
public sealed class WirehubServers : IAsyncLifetime
{
    internal EchoServer Echo { get; private set; } = null!;

    internal ScenarioServer Scenario { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Echo = await EchoServer.StartAsync(0, EchoMode.Echo).ConfigureAwait(false);
        Scenario = await ScenarioServer.StartAsync().ConfigureAwait(false);
    }

    /// <summary>A URL on the echo server with a path no other test uses.</summary>
    internal Uri EchoUrl(string path) => new(Echo.Url, path);

    public async Task DisposeAsync()
    {
        if (Echo is not null) await Echo.DisposeAsync().ConfigureAwait(false);
        if (Scenario is not null) await Scenario.DisposeAsync().ConfigureAwait(false);
    }
}
