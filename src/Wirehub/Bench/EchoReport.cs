using System.Text.Json;

namespace Wirehub.Cli.Bench;

/// <summary>What the echo scenario measured over its window.</summary>
internal sealed class EchoReport(
    BenchTarget target, int? serverPid, int connections, int inflight, int size, double seconds, long messages,
    LatencyHistogram latency, CpuUsage cpu, int failures, string? firstFailure)
    : BenchReport("echo", target, serverPid)
{
    public double MessagesPerSecond => messages / seconds;

    /// <summary>Payload bytes echoed per second, one way, in MB (10^6 bytes).</summary>
    public double MegabytesPerSecond => MessagesPerSecond * size / 1e6;

    protected override void WriteDetails(TextWriter output)
    {
        output.WriteLine($"  {connections} connections x {inflight} in flight, {size}-byte binary messages, {seconds:F1} s measured");
        output.WriteLine($"  messages/s   {MessagesPerSecond,12:N0}");
        output.WriteLine($"  MB/s         {MegabytesPerSecond,12:F1}  (payload, each way)");
        output.WriteLine($"  round trip   {FormatLatency(latency)}");
        output.WriteLine($"  cpu          {FormatCpu(cpu)}");
        output.WriteLine($"  errors       {failures}{(firstFailure is null ? "" : $" (first: {firstFailure})")}");
    }

    protected override void WriteJsonFields(Utf8JsonWriter json)
    {
        json.WriteNumber("connections", connections);
        json.WriteNumber("inflight", inflight);
        json.WriteNumber("size", size);
        json.WriteNumber("seconds", Math.Round(seconds, 3));
        json.WriteNumber("messages", messages);
        json.WriteNumber("messagesPerSecond", Math.Round(MessagesPerSecond, 1));
        json.WriteNumber("megabytesPerSecond", Math.Round(MegabytesPerSecond, 3));
        WriteLatency(json, "roundTrip", latency);
        WriteCpu(json, cpu);
        json.WriteNumber("errors", failures);
        json.WriteString("firstError", firstFailure);
    }
}
