using Wirehub.Conformance.Tests.Catalogue;

namespace Wirehub.Conformance.Tests;

/// <summary>
/// What the independent reference implementations are known to do, case by case, as "behaviour / close behaviour";
/// every case not listed must pass. The harness is right about them only if it reproduces exactly these verdicts.
/// </summary>
internal static class KnownVerdicts
{
    /// <summary>
    /// Kestrel + System.Net.WebSockets (ManagedWebSocket) as a server. It validates UTF-8 when a frame is complete,
    /// not as its bytes arrive: invalid text split across frames (6.4.1, 6.4.2) is caught at once, but invalid text
    /// inside one frame whose payload arrives in pieces (6.4.3, 6.4.4) only once the whole frame is in, after the
    /// rest of the message was sent (NON-STRICT; it then fails correctly with 1007).
    /// </summary>
    public static IReadOnlyDictionary<string, string> KestrelEchoServer { get; } = new Dictionary<string, string>
    {
        ["6.4.3"] = "NON-STRICT / OK",
        ["6.4.4"] = "NON-STRICT / OK",
    };

    /// <summary>System.Net.WebSockets.ClientWebSocket as a client: the same engine, so the same late UTF-8 check.</summary>
    public static IReadOnlyDictionary<string, string> ClientWebSocket { get; } = new Dictionary<string, string>
    {
        ["6.4.3"] = "NON-STRICT / OK",
        ["6.4.4"] = "NON-STRICT / OK",
    };

    public static void AssertMatches(IReadOnlyDictionary<string, string> known, CaseVerdict verdict)
    {
        if (known.TryGetValue(verdict.CaseId, out var expected))
            Assert.True(verdict.Outcome == expected, $"Expected the known verdict '{expected}' but the harness judged:{Environment.NewLine}{verdict}");
        else
            Assert.True(verdict.Passed, $"Expected a pass but the harness judged:{Environment.NewLine}{verdict}");
    }
}
