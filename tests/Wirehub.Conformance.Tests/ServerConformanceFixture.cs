using Wirehub.Conformance.Tests.Catalogue;
using Wirehub.Conformance.Tests.Drivers;
using Wirehub.Conformance.Tests.Engine;

namespace Wirehub.Conformance.Tests;

/// <summary>
/// Starts a server under test and the whole catalogue against it (in the background, see
/// <see cref="ConformanceRun"/>); each test then awaits one case's verdict. Derive and start any server at a ws:// URL.
/// </summary>
public abstract class ServerConformanceFixture : IAsyncLifetime
{
    internal ConformanceRun Run { get; private set; } = null!;

    /// <summary>Starts the server under test and returns its ws:// URL.</summary>
    protected abstract Task<Uri> StartServerAsync();

    protected abstract ValueTask StopServerAsync();

    public async Task InitializeAsync()
    {
        var url = await StartServerAsync();
        Run = ConformanceRun.AgainstServer(url, HarnessOptions.FromEnvironment());
    }

    /// <summary>Names the server in reports.</summary>
    protected abstract string Name { get; }

    public async Task DisposeAsync()
    {
        var verdicts = await Run.AllVerdictsAsync();
        await StopServerAsync();
        await ConformanceReport.WriteIfRequestedAsync(Name, verdicts);
    }

    internal Task<CaseVerdict> VerdictAsync(string caseId) => Run.VerdictAsync(caseId);
}
