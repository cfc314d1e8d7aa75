using System.Text.Json;

namespace Wirehub.Cli.Bench;

/// <summary>The outcome of one scenario: a one-screen text summary and the same numbers as JSON.</summary>
internal abstract class BenchReport
{
    protected BenchReport(string scenario, BenchTarget target, int? serverPid)
    {
        Scenario = scenario;
        Target = target;
        ServerPid = serverPid;
    }

    public string Scenario { get; }

    public BenchTarget Target { get; }

    public int? ServerPid { get; }

    public DateTimeOffset FinishedAt { get; } = DateTimeOffset.UtcNow;

    /// <summary>Writes the summary for a terminal.</summary>
    public void WriteSummary(TextWriter output)
    {
        output.WriteLine($"{Scenario} against {Target}{(ServerPid is int pid ? $" (server pid {pid})" : "")}");
        WriteDetails(output);
    }

    /// <summary>Writes the report as one JSON object.</summary>
    public void WriteJson(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("scenario", Scenario);
        json.WriteString("url", Target.ToString());
        json.WriteString("finishedAt", FinishedAt);
        if (ServerPid is int pid)
        {
            json.WriteNumber("serverPid", pid);
        }

        json.WriteNumber("generatorProcessors", Environment.ProcessorCount);
        WriteJsonFields(json);
        json.WriteEndObject();
    }

    /// <summary>Prints the summary and, when <paramref name="jsonPath"/> is given, writes the JSON file.</summary>
    public void Publish(TextWriter output, FileInfo? jsonPath)
    {
        WriteSummary(output);
        if (jsonPath is null)
        {
            return;
        }

        jsonPath.Directory?.Create();
        using FileStream file = jsonPath.Create();
        using Utf8JsonWriter json = new(file, new JsonWriterOptions { Indented = true });
        WriteJson(json);
    }

    protected abstract void WriteDetails(TextWriter output);

    protected abstract void WriteJsonFields(Utf8JsonWriter json);

    protected static string FormatCpu(CpuUsage cpu) =>
        $"generator {cpu.GeneratorPercent,5:F1}%  server {(cpu.ServerPercent is double server ? $"{server,5:F1}%" : "  n/a (pass --server-pid)")}";

    protected static void WriteCpu(Utf8JsonWriter json, CpuUsage cpu)
    {
        json.WriteNumber("generatorCpuPercent", Math.Round(cpu.GeneratorPercent, 1));
        if (cpu.ServerPercent is double server)
        {
            json.WriteNumber("serverCpuPercent", Math.Round(server, 1));
        }
        else
        {
            json.WriteNull("serverCpuPercent");
        }
    }

    protected static void WriteLatency(Utf8JsonWriter json, string name, LatencyHistogram histogram)
    {
        json.WriteStartObject(name);
        json.WriteNumber("count", histogram.Count);
        json.WriteNumber("meanMs", Math.Round(LatencyHistogram.ToMilliseconds(histogram.Mean), 4));
        json.WriteNumber("p50Ms", Math.Round(LatencyHistogram.ToMilliseconds(histogram.ValueAtPercentile(50)), 4));
        json.WriteNumber("p90Ms", Math.Round(LatencyHistogram.ToMilliseconds(histogram.ValueAtPercentile(90)), 4));
        json.WriteNumber("p99Ms", Math.Round(LatencyHistogram.ToMilliseconds(histogram.ValueAtPercentile(99)), 4));
        json.WriteNumber("p999Ms", Math.Round(LatencyHistogram.ToMilliseconds(histogram.ValueAtPercentile(99.9)), 4));
        json.WriteNumber("maxMs", Math.Round(LatencyHistogram.ToMilliseconds(histogram.Max), 4));
        json.WriteEndObject();
    }

    protected static string FormatLatency(LatencyHistogram histogram) =>
        $"p50 {Ms(histogram.ValueAtPercentile(50))}  p90 {Ms(histogram.ValueAtPercentile(90))}  "
        + $"p99 {Ms(histogram.ValueAtPercentile(99))}  max {Ms(histogram.Max)}";

    protected static string Ms(long ticks) => $"{LatencyHistogram.ToMilliseconds(ticks):F3} ms";
}
