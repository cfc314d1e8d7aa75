using System.Text.Json;
using Wirehub.Bench.Tests.Support;
using Wirehub.Cli.Bench;

namespace Wirehub.Bench.Tests.Reports;

public class ReportJsonTests
{
    private static JsonElement Write(BenchReport report)
    {
        MemoryStream stream = new();
        using (Utf8JsonWriter json = new(stream))
        {
            ReportJson.Write(report, json);
        }

        return JsonDocument.Parse(stream.ToArray()).RootElement;
    }

    private static readonly JsonElement s_echo = Write(SampleReport.Echo(new FixedDetails()));

    [Fact]
    public void Report_has_every_top_level_field_of_its_format_in_order()
    {
        Assert.Equal(
            ["format", "scenario", "url", "startedAt", "finishedAt", "parameters", "environment", "totals", "throughput",
                "latency", "errors", "cpu", "series", "details"],
            s_echo.EnumerateObject().Select(p => p.Name));
        Assert.Equal("wirehub-bench-report/1", s_echo.GetProperty("format").GetString());
        Assert.Equal("echo", s_echo.GetProperty("scenario").GetString());
        Assert.Equal("ws://127.0.0.1:9001/", s_echo.GetProperty("url").GetString());
        Assert.True(s_echo.GetProperty("startedAt").GetDateTimeOffset() <= s_echo.GetProperty("finishedAt").GetDateTimeOffset());
    }

    [Fact]
    public void Parameters_keep_their_names_and_json_types()
    {
        JsonElement parameters = s_echo.GetProperty("parameters");

        Assert.Equal(64, parameters.GetProperty("connections").GetInt32());
        Assert.Equal(2.5, parameters.GetProperty("durationSeconds").GetDouble());
        Assert.Equal([100, 200], parameters.GetProperty("rates").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal("fast", parameters.GetProperty("mode").GetString());
    }

    [Fact]
    public void Environment_names_the_machine_its_cores_the_runtime_and_the_server_pid()
    {
        JsonElement environment = s_echo.GetProperty("environment");

        Assert.Equal(Environment.MachineName, environment.GetProperty("machine").GetString());
        Assert.True(environment.GetProperty("cores").GetInt32() >= 1);
        Assert.Equal(Environment.ProcessorCount, environment.GetProperty("processorsAvailable").GetInt32());
        Assert.StartsWith(".NET", environment.GetProperty("runtime").GetString());
        Assert.False(string.IsNullOrEmpty(environment.GetProperty("cpu").GetString()));
        Assert.False(string.IsNullOrEmpty(environment.GetProperty("kernel").GetString()));
        Assert.Equal(4242, environment.GetProperty("serverPid").GetInt32());
    }

    [Fact]
    public void Totals_count_the_whole_run()
    {
        JsonElement totals = s_echo.GetProperty("totals");

        Assert.Equal(64, totals.GetProperty("connections").GetInt32());
        Assert.Equal(1_000_002, totals.GetProperty("messagesSent").GetInt64());
        Assert.Equal(1_000_000, totals.GetProperty("messagesReceived").GetInt64());
        Assert.Equal(1_000_002, totals.GetProperty("messagesExpected").GetInt64());
        Assert.Equal(32_000_000, totals.GetProperty("bytesReceived").GetInt64());
    }

    [Fact]
    public void Throughput_is_per_second_of_the_measured_interval()
    {
        JsonElement throughput = s_echo.GetProperty("throughput");

        Assert.Equal("round trips", throughput.GetProperty("unit").GetString());
        Assert.Equal(2, throughput.GetProperty("seconds").GetDouble());
        Assert.Equal(500_000, throughput.GetProperty("messages").GetInt64());
        Assert.Equal(250_000, throughput.GetProperty("messagesPerSecond").GetDouble());
        Assert.Equal(8, throughput.GetProperty("megabytesPerSecond").GetDouble());
    }

    [Fact]
    public void Latency_has_its_percentiles_in_milliseconds_and_a_histogram_that_adds_up()
    {
        JsonElement latency = s_echo.GetProperty("latency");

        Assert.Equal("round trip", latency.GetProperty("name").GetString());
        Assert.Equal(1000, latency.GetProperty("count").GetInt64());
        Assert.InRange(latency.GetProperty("p50Ms").GetDouble(), 50, 50.4);
        Assert.InRange(latency.GetProperty("p90Ms").GetDouble(), 90, 90.8);
        Assert.InRange(latency.GetProperty("p99Ms").GetDouble(), 99, 99.8);
        Assert.InRange(latency.GetProperty("p999Ms").GetDouble(), 99.9, 100);
        Assert.InRange(latency.GetProperty("maxMs").GetDouble(), 99.99, 100.01);
        JsonElement[] bins = [.. latency.GetProperty("histogram").EnumerateArray()];
        Assert.Equal(1000, bins.Sum(b => b.GetProperty("count").GetInt64()));
        Assert.All(bins, b => Assert.True(b.GetProperty("fromMs").GetDouble() < b.GetProperty("toMs").GetDouble()));
    }

    [Fact]
    public void Errors_list_every_kind_with_its_count_and_the_first_message()
    {
        JsonElement errors = s_echo.GetProperty("errors");

        Assert.Equal(3, errors.GetProperty("total").GetInt64());
        Assert.Equal(
            ["connect", "handshake", "closed", "protocol", "altered", "lost", "timeout", "socket"],
            errors.GetProperty("byKind").EnumerateObject().Select(p => p.Name));
        Assert.Equal(1, errors.GetProperty("byKind").GetProperty("closed").GetInt64());
        Assert.Equal(2, errors.GetProperty("byKind").GetProperty("lost").GetInt64());
        Assert.Equal(0, errors.GetProperty("byKind").GetProperty("connect").GetInt64());
        Assert.Equal("The server closed the connection.", errors.GetProperty("first").GetString());
    }

    [Fact]
    public void Cpu_gives_generator_and_server_percent()
    {
        JsonElement cpu = s_echo.GetProperty("cpu");

        Assert.Equal(41.3, cpu.GetProperty("generatorPercent").GetDouble());
        Assert.Equal(99.0, cpu.GetProperty("serverPercent").GetDouble());
    }

    [Fact]
    public void Series_has_a_point_per_sample_with_throughput_and_p99()
    {
        JsonElement[] series = [.. s_echo.GetProperty("series").EnumerateArray()];

        Assert.Equal(3, series.Length);
        Assert.Equal(["t", "phase", "connections", "messagesPerSecond", "megabytesPerSecond", "p99Ms", "errors"],
            series[1].EnumerateObject().Select(p => p.Name));
        Assert.Equal([1.0, 2.0, 3.0], series.Select(p => p.GetProperty("t").GetDouble()));
        Assert.Equal(["warmup", "measure", "measure"], series.Select(p => p.GetProperty("phase").GetString()));
        Assert.Equal(250_000.5, series[2].GetProperty("messagesPerSecond").GetDouble());
        Assert.Equal(JsonValueKind.Null, series[0].GetProperty("p99Ms").ValueKind);
        Assert.Equal(99.5, series[2].GetProperty("p99Ms").GetDouble());
        Assert.Equal(63, series[2].GetProperty("connections").GetInt32());
        Assert.Equal(3, series[2].GetProperty("errors").GetInt64());
    }

    [Fact]
    public void Scenario_details_are_nested_under_details()
    {
        Assert.Equal(7, s_echo.GetProperty("details").GetProperty("answer").GetInt32());
    }

    [Fact]
    public void Report_without_latency_server_pid_or_details_writes_nulls()
    {
        JsonElement idle = Write(SampleReport.WithoutLatencyOrSamples());

        Assert.Equal(JsonValueKind.Null, idle.GetProperty("latency").ValueKind);
        Assert.Equal(JsonValueKind.Null, idle.GetProperty("details").ValueKind);
        Assert.Equal(JsonValueKind.Null, idle.GetProperty("environment").GetProperty("serverPid").ValueKind);
        Assert.Equal(JsonValueKind.Null, idle.GetProperty("cpu").GetProperty("serverPercent").ValueKind);
        Assert.Equal(0, idle.GetProperty("series").GetArrayLength());
        Assert.Equal(20, idle.GetProperty("throughput").GetProperty("messagesPerSecond").GetDouble());
    }

    [Fact]
    public void File_is_written_in_a_folder_created_for_it()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"wirehub-bench-{Guid.NewGuid():N}");
        FileInfo path = new(Path.Combine(folder, "nested", "report.json"));
        try
        {
            ReportJson.WriteFile(SampleReport.Echo(), path);

            using JsonDocument written = JsonDocument.Parse(File.ReadAllBytes(path.FullName));
            Assert.Equal("echo", written.RootElement.GetProperty("scenario").GetString());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private sealed class FixedDetails : IReportDetails
    {
        public void WriteText(TextWriter output) => output.WriteLine("  the answer is 7 <b>&</b>");

        public void WriteJson(Utf8JsonWriter json) => json.WriteNumber("answer", 7);
    }

    internal static IReportDetails Details() => new FixedDetails();
}
