using Wirehub.Cli;
using Wirehub.Conformance.Tests.Catalogue;

namespace Wirehub.Conformance.Tests;

/// <summary>The Wirehub server (the `wirehub echo` server, permessage-deflate enabled) must pass every case.</summary>
[Collection(ConformanceCollection.Name)]
public sealed class WirehubServerConformanceTests(WirehubServerConformanceTests.Fixture fixture)
    : IClassFixture<WirehubServerConformanceTests.Fixture>
{
    public static TheoryData<string> CaseIds => CaseCatalogue.Ids;

    [Theory, MemberData(nameof(CaseIds))]
    public async Task Server_passes_case(string id)
    {
        var verdict = await fixture.VerdictAsync(id);
        Assert.True(verdict.Passed, verdict.ToString());
    }

    public sealed class Fixture : ServerConformanceFixture
    {
        private EchoServer? _server;

        protected override string Name => "Wirehub EchoServer";

        protected override async Task<Uri> StartServerAsync()
        {
            _server = await EchoServer.StartAsync(0, EchoMode.Echo, CancellationToken.None);
            return _server.Url;
        }

        protected override ValueTask StopServerAsync() => _server?.DisposeAsync() ?? ValueTask.CompletedTask;
    }
}
