using Wirehub.Cli;
using Wirehub.Conformance.Tests.Catalogue;
using Wirehub.Conformance.Tests.Drivers;

namespace Wirehub.Conformance.Tests;

/// <summary>
/// The Wirehub client (Wirehub.WebSockets.WebSocketClient driven by ConformanceClient, which echoes every message
/// until the server closes) must pass every case.
/// </summary>
[Collection(ConformanceCollection.Name)]
public sealed class WirehubClientConformanceTests(WirehubClientConformanceTests.Fixture fixture)
    : IClassFixture<WirehubClientConformanceTests.Fixture>
{
    public static TheoryData<string> CaseIds => CaseCatalogue.Ids;

    [Theory, MemberData(nameof(CaseIds))]
    public async Task Client_passes_case(string id)
    {
        var verdict = await fixture.VerdictAsync(id);
        Assert.True(verdict.Passed, verdict.ToString());
    }

    [Fact]
    public async Task Conformance_client_runs_every_case_a_fuzzing_server_offers_and_updates_reports()
    {
        string[] ids = ["1.1.1", "2.10", "5.19", "7.7.1", "12.1.1"];
        await using var server = FuzzingServer.Start(ids.Select(CaseCatalogue.ById).ToList());
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        int count = await ConformanceClient.RunAsync(server.Url, "wirehub-run", timeout.Token);

        Assert.Equal(ids.Length, count);
        foreach (var id in ids) await server.VerdictAsync("wirehub-run", id, timeout.Token);
        Assert.Equal(ids.Order(StringComparer.Ordinal), server.VerdictsFor("wirehub-run").Keys.Order(StringComparer.Ordinal));
        Assert.Equal(1, server.ReportRequests("wirehub-run"));
    }

    public sealed class Fixture : ClientConformanceFixture
    {
        protected override string Agent => "Wirehub ConformanceClient";

        protected override Task RunCaseAsync(Uri caseUrl, CancellationToken cancellationToken) =>
            ConformanceClient.RunCaseAsync(caseUrl, cancellationToken);
    }
}
