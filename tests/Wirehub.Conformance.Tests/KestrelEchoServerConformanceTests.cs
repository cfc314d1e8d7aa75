using Wirehub.Conformance.Tests.Catalogue;
using Wirehub.Conformance.Tests.SystemsUnderTest;

namespace Wirehub.Conformance.Tests;

/// <summary>
/// Checks the fuzzing client (the harness's server-testing side) against Kestrel + System.Net.WebSockets, an
/// independent implementation whose behaviour is known: every case must get exactly the verdict recorded in
/// <see cref="KnownVerdicts.KestrelEchoServer"/> (pass unless listed).
/// </summary>
[Collection(ConformanceCollection.Name)]
public sealed class KestrelEchoServerConformanceTests(KestrelEchoServerConformanceTests.Fixture fixture)
    : IClassFixture<KestrelEchoServerConformanceTests.Fixture>
{
    public static TheoryData<string> CaseIds => CaseCatalogue.Ids;

    [Theory, MemberData(nameof(CaseIds))]
    public async Task Harness_verdict_matches_known_behaviour(string id)
    {
        var verdict = await fixture.VerdictAsync(id);
        KnownVerdicts.AssertMatches(KnownVerdicts.KestrelEchoServer, verdict);
    }

    public sealed class Fixture : ServerConformanceFixture
    {
        private KestrelEchoServer? _server;

        protected override string Name => "Kestrel and System.Net.WebSockets";

        protected override async Task<Uri> StartServerAsync()
        {
            _server = await KestrelEchoServer.StartAsync();
            return _server.Url;
        }

        protected override ValueTask StopServerAsync() => _server?.DisposeAsync() ?? ValueTask.CompletedTask;
    }
}
