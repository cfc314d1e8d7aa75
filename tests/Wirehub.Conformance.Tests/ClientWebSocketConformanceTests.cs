using Wirehub.Conformance.Tests.Catalogue;
using Wirehub.Conformance.Tests.SystemsUnderTest;

namespace Wirehub.Conformance.Tests;

/// <summary>
/// Checks the fuzzing server (the harness's client-testing side) against System.Net.WebSockets.ClientWebSocket, an
/// independent implementation whose behaviour is known: every case must get exactly the verdict recorded in
/// <see cref="KnownVerdicts.ClientWebSocket"/> (pass unless listed).
/// </summary>
[Collection(ConformanceCollection.Name)]
public sealed class ClientWebSocketConformanceTests(ClientWebSocketConformanceTests.Fixture fixture)
    : IClassFixture<ClientWebSocketConformanceTests.Fixture>
{
    public static TheoryData<string> CaseIds => CaseCatalogue.Ids;

    [Theory, MemberData(nameof(CaseIds))]
    public async Task Harness_verdict_matches_known_behaviour(string id)
    {
        var verdict = await fixture.VerdictAsync(id);
        KnownVerdicts.AssertMatches(KnownVerdicts.ClientWebSocket, verdict);
    }

    public sealed class Fixture : ClientConformanceFixture
    {
        protected override string Agent => "System.Net.WebSockets.ClientWebSocket";

        protected override Task RunCaseAsync(Uri caseUrl, CancellationToken cancellationToken) =>
            ClientWebSocketEcho.RunCaseAsync(caseUrl, cancellationToken);
    }
}
