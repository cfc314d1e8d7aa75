using System.Text.Json;

namespace Wirehub.Cli.Bench;

/// <summary>What the idle scenario measured.</summary>
internal sealed class IdleReport(
    BenchTarget target, int serverPid, int connections, int opened, double openSeconds, long rssBeforeKiB, long rssAfterKiB,
    CpuUsage cpu, int failures, string? firstFailure)
    : BenchReport("idle", target, serverPid)
{
    public double KiBPerConnection => opened == 0 ? 0 : (double)(rssAfterKiB - rssBeforeKiB) / opened;

    protected override void WriteDetails(TextWriter output)
    {
        output.WriteLine($"  {opened:N0} of {connections:N0} connections open and idle, opened in {openSeconds:F1} s ({opened / openSeconds:N0}/s)");
        output.WriteLine($"  server RSS   {rssBeforeKiB / 1024.0:F1} MiB before, {rssAfterKiB / 1024.0:F1} MiB after");
        output.WriteLine($"  per connection {KiBPerConnection,8:F2} KiB");
        output.WriteLine($"  cpu          {FormatCpu(cpu)}  (opening and settling)");
        output.WriteLine($"  errors       {failures}{(firstFailure is null ? "" : $" (first: {firstFailure})")}");
    }

    protected override void WriteJsonFields(Utf8JsonWriter json)
    {
        json.WriteNumber("connections", connections);
        json.WriteNumber("opened", opened);
        json.WriteNumber("openSeconds", Math.Round(openSeconds, 3));
        json.WriteNumber("rssBeforeKiB", rssBeforeKiB);
        json.WriteNumber("rssAfterKiB", rssAfterKiB);
        json.WriteNumber("kibPerConnection", Math.Round(KiBPerConnection, 3));
        WriteCpu(json, cpu);
        json.WriteNumber("errors", failures);
        json.WriteString("firstError", firstFailure);
    }
}
