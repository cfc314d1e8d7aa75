using System.Text;
using Wirehub.Conformance.Tests.Catalogue;

namespace Wirehub.Conformance.Tests.Drivers;

/// <summary>
/// A plain-text report of one run: a summary line per case, then the evidence for every case that did not pass (or
/// for all cases when asked). Written when WIREHUB_CONFORMANCE_REPORT names a directory.
/// </summary>
internal static class ConformanceReport
{
    public static async Task WriteIfRequestedAsync(string systemUnderTest, IReadOnlyList<CaseVerdict> verdicts)
    {
        string? directory = Environment.GetEnvironmentVariable("WIREHUB_CONFORMANCE_REPORT");
        if (string.IsNullOrWhiteSpace(directory)) return;
        bool allDetails = Environment.GetEnvironmentVariable("WIREHUB_CONFORMANCE_REPORT_DETAILS") == "1";
        Directory.CreateDirectory(directory);
        string file = Path.Combine(directory, string.Concat(systemUnderTest.Select(c => char.IsLetterOrDigit(c) ? c : '-')) + ".txt");
        await File.WriteAllTextAsync(file, Render(systemUnderTest, verdicts, allDetails));
    }

    public static string Render(string systemUnderTest, IReadOnlyList<CaseVerdict> verdicts, bool allDetails)
    {
        var text = new StringBuilder()
            .AppendLine($"Conformance report for {systemUnderTest}: {verdicts.Count(v => v.Passed)} of {verdicts.Count} cases pass.")
            .AppendLine();
        foreach (var verdict in verdicts)
            text.AppendLine($"{verdict.CaseId,-10} {(verdict.Passed ? "pass" : "FAIL"),-5} {verdict.Outcome,-30} {verdict.Result}");
        text.AppendLine();
        foreach (var verdict in verdicts.Where(v => allDetails || !v.Passed))
            text.AppendLine(verdict.ToString());
        return text.ToString();
    }
}
