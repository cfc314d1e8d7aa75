using Wirehub.Conformance.Tests.Catalogue;
using Wirehub.Conformance.Tests.Drivers;
using Wirehub.Conformance.Tests.Engine;
using Wirehub.Conformance.Tests.SystemsUnderTest;
using Faults = Wirehub.Conformance.Tests.SystemsUnderTest.LenientEchoPeer.Faults;

namespace Wirehub.Conformance.Tests.HarnessTests;

/// <summary>The fuzzing server must fail clients with known faults, each with the verdict that names the fault.</summary>
public sealed class FuzzingServerJudgementTests
{
    private static readonly HarnessOptions Options = new() { TimeoutScale = 1 };

    private static async Task<CaseVerdict> RunAsync(string caseId, Faults faults)
    {
        await using var server = FuzzingServer.Start([CaseCatalogue.ById(caseId)], Options);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await LenientEchoPeer.RunClientAsync(server.CaseUrl(caseId, "lenient"), faults, timeout.Token);
        return await server.VerdictAsync("lenient", caseId, timeout.Token);
    }

    [Fact]
    public async Task Client_that_echoes_correctly_passes()
    {
        var verdict = await RunAsync("5.19", Faults.None);

        Assert.True(verdict.Passed, verdict.ToString());
    }

    [Fact]
    public async Task Client_that_echoes_invalid_utf8_fails_the_case()
    {
        var verdict = await RunAsync("6.3.1", Faults.None);

        Assert.Equal(CaseBehavior.Failed, verdict.Behavior);
    }

    [Fact]
    public async Task Client_that_checks_utf8_only_at_the_end_of_the_message_is_non_strict()
    {
        var verdict = await RunAsync("6.4.2", Faults.ValidateUtf8AtMessageEnd);

        Assert.Equal("NON-STRICT / OK", verdict.Outcome);
    }

    [Fact]
    public async Task Client_that_ignores_pings_fails_the_case()
    {
        var verdict = await RunAsync("2.10", Faults.IgnorePings);

        Assert.Equal("FAILED / OK", verdict.Outcome);
    }

    [Fact]
    public async Task Client_that_never_answers_the_close_frame_is_unclean()
    {
        var verdict = await RunAsync("1.1.1", Faults.IgnoreClose);

        Assert.Equal("OK / UNCLEAN", verdict.Outcome);
    }
}
