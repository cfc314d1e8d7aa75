using Wirehub.Conformance.Tests.Catalogue;
using Wirehub.Conformance.Tests.Drivers;
using Wirehub.Conformance.Tests.Engine;
using Wirehub.Conformance.Tests.SystemsUnderTest;
using Faults = Wirehub.Conformance.Tests.SystemsUnderTest.LenientEchoPeer.Faults;

namespace Wirehub.Conformance.Tests.HarnessTests;

/// <summary>The fuzzing client must fail servers with known faults, each with the verdict that names the fault.</summary>
public sealed class FuzzingClientJudgementTests
{
    private static readonly HarnessOptions Options = new() { TimeoutScale = 1 };

    private static async Task<CaseVerdict> RunAsync(string caseId, Faults faults, HarnessOptions? options = null)
    {
        var (url, stop) = LenientEchoPeer.StartServer(faults);
        await using (stop) return await FuzzingClient.RunAsync(url, CaseCatalogue.ById(caseId), options ?? Options, CancellationToken.None);
    }

    [Fact]
    public async Task Server_that_echoes_correctly_passes()
    {
        var verdict = await RunAsync("5.6", Faults.None);

        Assert.True(verdict.Passed, verdict.ToString());
    }

    [Fact]
    public async Task Server_that_ignores_reserved_bits_fails_the_case_and_its_close()
    {
        var verdict = await RunAsync("3.1", Faults.None);

        Assert.Equal("FAILED / FAILED", verdict.Outcome);
    }

    [Fact]
    public async Task Server_that_fails_without_a_close_frame_has_the_wrong_close_code()
    {
        var verdict = await RunAsync("3.1", Faults.DropOnReservedBits);

        Assert.Equal("OK / WRONG CODE", verdict.Outcome);
    }

    [Fact]
    public async Task Server_that_echoes_invalid_utf8_fails_the_case()
    {
        var verdict = await RunAsync("6.3.1", Faults.None);

        Assert.Equal(CaseBehavior.Failed, verdict.Behavior);
    }

    [Fact]
    public async Task Server_that_checks_utf8_only_at_the_end_of_the_message_is_non_strict()
    {
        var verdict = await RunAsync("6.4.1", Faults.ValidateUtf8AtMessageEnd);

        Assert.Equal("NON-STRICT / OK", verdict.Outcome);
    }

    [Fact]
    public async Task Server_that_ignores_pings_fails_the_case_but_closes_properly()
    {
        var verdict = await RunAsync("2.2", Faults.IgnorePings);

        Assert.Equal("FAILED / OK", verdict.Outcome);
    }

    [Fact]
    public async Task Server_that_echoes_text_as_binary_fails_the_case()
    {
        var verdict = await RunAsync("1.1.2", Faults.EchoTextAsBinary);

        Assert.Equal(CaseBehavior.Failed, verdict.Behavior);
    }

    [Fact]
    public async Task Server_that_leaves_tcp_open_after_the_closing_handshake_makes_the_client_close_it()
    {
        var verdict = await RunAsync("1.1.1", Faults.KeepTcpOpenAfterClose);

        Assert.Equal("OK / FAILED BY CLIENT", verdict.Outcome);
    }

    [Fact]
    public async Task Server_that_hangs_fails_when_the_case_timeout_runs_out()
    {
        var verdict = await RunAsync("9.1.1", Faults.Silent, Options with { CaseTimeout = TimeSpan.FromSeconds(2) });

        Assert.Equal(CaseBehavior.Failed, verdict.Behavior);
        Assert.Contains("did not finish within 2 s", verdict.Result);
    }
}
