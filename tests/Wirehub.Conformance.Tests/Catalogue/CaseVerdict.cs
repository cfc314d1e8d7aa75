using System.Text;
using Wirehub.Conformance.Tests.Engine;

namespace Wirehub.Conformance.Tests.Catalogue;

/// <summary>
/// The judged outcome of one case for one system under test: the behaviour and close behaviour in Autobahn's
/// words with their explanations, and the evidence (expected and received events, close details, wire log).
/// </summary>
internal sealed record CaseVerdict(
    string CaseId,
    string Description,
    string Behavior,
    string BehaviorClose,
    string Result,
    string ResultClose,
    string Details)
{
    public bool Passed => CaseBehavior.IsPassing(Behavior) && CaseBehavior.IsPassing(BehaviorClose);

    /// <summary>"OK / OK", "NON-STRICT / OK", "FAILED / WRONG CODE", ...</summary>
    public string Outcome => $"{Behavior} / {BehaviorClose}";

    public static CaseVerdict Judged(CaseDefinition definition, FuzzingCase run, FuzzingPeer peer)
    {
        string behavior = run.Behavior, result = run.Result;
        if (peer.HarnessError is not null)
        {
            behavior = CaseBehavior.Failed;
            result = $"The harness itself failed while running the case (this is a bug in the conformance suite): {peer.HarnessError}";
        }
        else if (peer.TimedOut)
        {
            behavior = CaseBehavior.Failed;
            result = $"The case did not finish within {peer.Options.CaseTimeout.TotalSeconds:0} s: the connection was still open, so the peer hung. " + result;
        }

        var details = new StringBuilder()
            .AppendLine($"  expectation: {definition.Expectation}")
            .AppendLine($"  expected close: {run.ExpectedClose}")
            .AppendLine($"  closed by fuzzer: {peer.ClosedByMe}, failed by fuzzer: {peer.FailedByMe}, TCP dropped by fuzzer: {peer.DroppedByMe}, " +
                        $"clean: {peer.WasClean}{(peer.WasClean ? "" : $" ({peer.WasNotCleanReason})")}")
            .AppendLine($"  fuzzer close code: {peer.LocalCloseCode?.ToString() ?? "none"}, peer close code: {peer.RemoteCloseCode?.ToString() ?? "none"}" +
                        $"{(peer.RemoteCloseReason is { Length: > 0 } r ? $" \"{r}\"" : "")}")
            .AppendLine($"  extensions: {peer.NegotiatedExtensions ?? "none"}");
        foreach (var (name, events) in run.Expected) details.AppendLine($"  expected for {name}: {Format(events)}");
        details.AppendLine($"  received: {Format(run.Received)}")
            .AppendLine("  wire log (fuzzer's view):")
            .Append(peer.Log);
        return new CaseVerdict(definition.Id, definition.Description, behavior, run.BehaviorClose, result, run.ResultClose, details.ToString());
    }

    public static CaseVerdict HandshakeFailed(CaseDefinition definition, string reason) => new(
        definition.Id, definition.Description, CaseBehavior.Failed, CaseBehavior.Failed,
        "The case could not run.", $"The WebSocket opening handshake was never completed: {reason}", "");

    public static CaseVerdict NotRun(CaseDefinition definition, string reason) => new(
        definition.Id, definition.Description, CaseBehavior.Failed, CaseBehavior.Failed, reason, "The case did not run.", "");

    public override string ToString() =>
        $"Case {CaseId} ({Description}): {Outcome}{Environment.NewLine}" +
        $"  behavior: {Result}{Environment.NewLine}  close: {ResultClose}{Environment.NewLine}{Details}";

    private static string Format(IReadOnlyList<CaseEvent> events) =>
        events.Count == 0 ? "[]" : "[" + string.Join(", ", events.Take(8)) + (events.Count > 8 ? $", ... {events.Count - 8} more" : "") + "]";
}
