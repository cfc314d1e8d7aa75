using System.Text.Json;

namespace Wirehub.Cli.Bench;

/// <summary>What the handshakes scenario measured over its window.</summary>
internal sealed class HandshakeReport(
    BenchTarget target, int? serverPid, int concurrency, double seconds, long completed, LatencyHistogram upgrade,
    CpuUsage cpu, long failures, string? firstFailure)
    : BenchReport("handshakes", target, serverPid)
{
    public double HandshakesPerSecond => completed / seconds;

    protected override void WriteDetails(TextWriter output)
    {
        output.WriteLine($"  {concurrency} at a time: connect, upgrade, close frames both ways, server FIN; {seconds:F1} s measured");
        output.WriteLine($"  handshakes/s {HandshakesPerSecond,12:N0}  ({completed:N0} complete connection lifetimes)");
        output.WriteLine($"  upgrade      {FormatLatency(upgrade)}  (connect to 101)");
        output.WriteLine($"  cpu          {FormatCpu(cpu)}");
        output.WriteLine($"  errors       {failures}{(firstFailure is null ? "" : $" (first: {firstFailure})")}");
    }

    protected override void WriteJsonFields(Utf8JsonWriter json)
    {
        json.WriteNumber("concurrency", concurrency);
        json.WriteNumber("seconds", Math.Round(seconds, 3));
        json.WriteNumber("handshakes", completed);
        json.WriteNumber("handshakesPerSecond", Math.Round(HandshakesPerSecond, 1));
        WriteLatency(json, "upgrade", upgrade);
        WriteCpu(json, cpu);
        json.WriteNumber("errors", failures);
        json.WriteString("firstError", firstFailure);
    }
}
