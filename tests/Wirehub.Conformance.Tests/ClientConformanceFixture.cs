using Wirehub.Conformance.Tests.Catalogue;
using Wirehub.Conformance.Tests.Drivers;
using Wirehub.Conformance.Tests.Engine;

namespace Wirehub.Conformance.Tests;

/// <summary>
/// Starts the fuzzing server and runs the whole catalogue with a client under test (in the background, see
/// <see cref="ConformanceRun"/>); each test then awaits one case's verdict. Derive and give any client as
/// "connect to this URL and echo every message until the server closes".
/// </summary>
public abstract class ClientConformanceFixture : IAsyncLifetime
{
    private FuzzingServer? _server;

    internal ConformanceRun Run { get; private set; } = null!;

    internal FuzzingServer Server => _server!;

    protected abstract string Agent { get; }

    protected abstract Task RunCaseAsync(Uri caseUrl, CancellationToken cancellationToken);

    public Task InitializeAsync()
    {
        var options = HarnessOptions.FromEnvironment();
        _server = FuzzingServer.Start(options: options);
        Run = ConformanceRun.AgainstClient(_server, Agent, RunCaseAsync, options);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        var verdicts = await Run.AllVerdictsAsync();
        await _server!.DisposeAsync();
        await ConformanceReport.WriteIfRequestedAsync(Agent, verdicts);
    }

    internal Task<CaseVerdict> VerdictAsync(string caseId) => Run.VerdictAsync(caseId);
}
