using System.Text.Json;

namespace Wirehub.Cli.Bench;

/// <summary>
/// Writes a <see cref="BenchReport"/> as one JSON object. Its shape is the same for every scenario (see the "Reading
/// the report" part of bench/README.md); only "parameters" and "details" differ from one scenario to another.
/// </summary>
internal static class ReportJson
{
    /// <summary>Names the shape of the object; it changes when a field is renamed or removed.</summary>
    public const string Format = "wirehub-bench-report/1";

    /// <summary>Writes the report to a file, creating its folder.</summary>
    public static void WriteFile(BenchReport report, FileInfo path)
    {
        path.Directory?.Create();
        using FileStream file = path.Create();
        using Utf8JsonWriter json = new(file, new JsonWriterOptions { Indented = true });
        Write(report, json);
    }

    public static void Write(BenchReport report, Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("format", Format);
        json.WriteString("scenario", report.Scenario);
        json.WriteString("url", report.Target.ToString());
        json.WriteString("startedAt", report.StartedAt);
        json.WriteString("finishedAt", report.FinishedAt);
        WriteParameters(json, report.Parameters);
        WriteEnvironment(json, report);

        json.WriteStartObject("totals");
        json.WriteNumber("connections", report.Connections);
        json.WriteNumber("messagesSent", report.MessagesSent);
        json.WriteNumber("messagesReceived", report.MessagesReceived);
        json.WriteNumber("messagesExpected", report.MessagesExpected);
        json.WriteNumber("bytesReceived", report.BytesReceived);
        json.WriteEndObject();

        json.WriteStartObject("throughput");
        json.WriteString("unit", report.Unit);
        json.WriteNumber("seconds", Math.Round(report.MeasuredSeconds, 3));
        json.WriteNumber("messages", report.MeasuredMessages);
        json.WriteNumber("bytes", report.MeasuredBytes);
        json.WriteNumber("messagesPerSecond", Math.Round(report.MessagesPerSecond, 1));
        json.WriteNumber("megabytesPerSecond", Math.Round(report.MegabytesPerSecond, 3));
        json.WriteEndObject();

        if (report.Latency is null)
        {
            json.WriteNull("latency");
        }
        else
        {
            WriteLatency(json, "latency", report.Latency, report.LatencyName);
        }

        WriteErrors(json, report.Errors);
        WriteCpu(json, "cpu", report.Cpu);
        WriteSeries(json, report.Series);
        if (report.Details is null)
        {
            json.WriteNull("details");
        }
        else
        {
            json.WriteStartObject("details");
            report.Details.WriteJson(json);
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    /// <summary>A latency object: count, mean and percentiles in ms, and, unless left out, the log-scale histogram.</summary>
    public static void WriteLatency(Utf8JsonWriter json, string property, LatencyHistogram histogram, string? name = null,
        bool withHistogram = true)
    {
        json.WriteStartObject(property);
        if (name is not null)
        {
            json.WriteString("name", name);
        }

        json.WriteNumber("count", histogram.Count);
        json.WriteNumber("meanMs", Round(LatencyHistogram.ToMilliseconds(histogram.Mean)));
        json.WriteNumber("p50Ms", Round(LatencyHistogram.ToMilliseconds(histogram.ValueAtPercentile(50))));
        json.WriteNumber("p90Ms", Round(LatencyHistogram.ToMilliseconds(histogram.ValueAtPercentile(90))));
        json.WriteNumber("p99Ms", Round(LatencyHistogram.ToMilliseconds(histogram.ValueAtPercentile(99))));
        json.WriteNumber("p999Ms", Round(LatencyHistogram.ToMilliseconds(histogram.ValueAtPercentile(99.9))));
        json.WriteNumber("maxMs", Round(LatencyHistogram.ToMilliseconds(histogram.Max)));
        if (withHistogram)
        {
            json.WriteStartArray("histogram");
            foreach (LatencyBin bin in LatencyDistribution.Of(histogram))
            {
                json.WriteStartObject();
                json.WriteNumber("fromMs", bin.FromMs);
                json.WriteNumber("toMs", bin.ToMs);
                json.WriteNumber("count", bin.Count);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    /// <summary>A cpu object: generatorPercent and serverPercent (null without a server pid).</summary>
    public static void WriteCpu(Utf8JsonWriter json, string property, CpuUsage cpu)
    {
        json.WriteStartObject(property);
        json.WriteNumber("generatorPercent", Math.Round(cpu.GeneratorPercent, 1));
        if (cpu.ServerPercent is double server)
        {
            json.WriteNumber("serverPercent", Math.Round(server, 1));
        }
        else
        {
            json.WriteNull("serverPercent");
        }

        json.WriteEndObject();
    }

    private static void WriteParameters(Utf8JsonWriter json, IReadOnlyList<KeyValuePair<string, object>> parameters)
    {
        json.WriteStartObject("parameters");
        foreach ((string name, object value) in parameters)
        {
            switch (value)
            {
                case int number:
                    json.WriteNumber(name, number);
                    break;
                case long number:
                    json.WriteNumber(name, number);
                    break;
                case double number:
                    json.WriteNumber(name, number);
                    break;
                case bool flag:
                    json.WriteBoolean(name, flag);
                    break;
                case int[] numbers:
                    json.WriteStartArray(name);
                    foreach (int number in numbers)
                    {
                        json.WriteNumberValue(number);
                    }

                    json.WriteEndArray();
                    break;
                default:
                    json.WriteString(name, value.ToString());
                    break;
            }
        }

        json.WriteEndObject();
    }

    private static void WriteEnvironment(Utf8JsonWriter json, BenchReport report)
    {
        RunEnvironment environment = report.Environment;
        json.WriteStartObject("environment");
        json.WriteString("machine", environment.Machine);
        json.WriteString("os", environment.OperatingSystem);
        json.WriteString("kernel", environment.Kernel);
        json.WriteString("cpu", environment.Cpu);
        json.WriteNumber("cores", environment.Cores);
        json.WriteNumber("processorsAvailable", environment.ProcessorsAvailable);
        json.WriteString("runtime", environment.Runtime);
        json.WriteString("architecture", environment.Architecture);
        json.WriteString("generatorVersion", environment.GeneratorVersion);
        if (report.ServerPid is int pid)
        {
            json.WriteNumber("serverPid", pid);
        }
        else
        {
            json.WriteNull("serverPid");
        }

        json.WriteEndObject();
    }

    private static void WriteErrors(Utf8JsonWriter json, ErrorTally errors)
    {
        json.WriteStartObject("errors");
        json.WriteNumber("total", errors.Total);
        json.WriteStartObject("byKind");
        foreach (BenchErrorKind kind in ErrorTally.Kinds)
        {
            json.WriteNumber(JsonNamingPolicy.CamelCase.ConvertName(kind.ToString()), errors.CountOf(kind));
        }

        json.WriteEndObject();
        json.WriteString("first", errors.First);
        json.WriteEndObject();
    }

    private static void WriteSeries(Utf8JsonWriter json, IReadOnlyList<LiveSample> series)
    {
        json.WriteStartArray("series");
        foreach (LiveSample sample in series)
        {
            json.WriteStartObject();
            json.WriteNumber("t", Math.Round(sample.ElapsedSeconds, 3));
            json.WriteString("phase", sample.Phase);
            json.WriteNumber("connections", sample.Connections);
            json.WriteNumber("messagesPerSecond", Math.Round(sample.MessagesPerSecond, 1));
            json.WriteNumber("megabytesPerSecond", Math.Round(sample.MegabytesPerSecond, 3));
            WriteNullable(json, "p99Ms", sample.P99Ms);
            json.WriteNumber("errors", sample.Errors);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteNullable(Utf8JsonWriter json, string property, double? value)
    {
        if (value is double number)
        {
            json.WriteNumber(property, Round(number));
        }
        else
        {
            json.WriteNull(property);
        }
    }

    private static double Round(double ms) => Math.Round(ms, 4);
}
