using System.Text.Json;
using System.Xml;
using Wirehub.Bench.Tests.Support;
using Wirehub.Cli;

namespace Wirehub.Bench.Tests.EndToEnd;

/// <summary>
/// One short run of each scenario through `wirehub bench`, against `wirehub echo`'s server in this process, checking
/// that the report accounts for every message and that nothing failed.
/// </summary>
public sealed class ScenarioRunTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("wirehub-bench-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private async Task<(BenchCli.Outcome Outcome, JsonElement Report)> RunAsync(EchoMode mode, params string[] args)
    {
        await using EchoServer server = await EchoServer.StartAsync(0, mode);
        string json = Path.Combine(_folder, "report.json");
        BenchCli.Outcome outcome = await BenchCli.RunAsync([
            args[0], "--url", server.Url.ToString(), "--json", json, "--html", Path.Combine(_folder, "report.html"),
            "--progress", "lines", .. args[1..]]);
        Assert.True(outcome.ExitCode == 0, $"exit {outcome.ExitCode}: {outcome.Error}");
        return (outcome, JsonDocument.Parse(File.ReadAllBytes(json)).RootElement.Clone());
    }

    private static void AssertNoErrors(JsonElement report)
    {
        JsonElement errors = report.GetProperty("errors");
        Assert.True(errors.GetProperty("total").GetInt64() == 0, $"errors: {errors}");
    }

    // Every per-second point was also shown as a progress line on stderr, and the report went to stdout.
    private void AssertProgressAndOutputs(BenchCli.Outcome outcome, JsonElement report, string scenario)
    {
        int points = report.GetProperty("series").GetArrayLength();
        Assert.True(points > 0, "a run of a second or more has at least one sample");
        Assert.Equal(points, outcome.Error.Split(Environment.NewLine).Count(line => line.Contains(" conn ", StringComparison.Ordinal)));
        Assert.StartsWith($"{scenario} against ws://127.0.0.1:", outcome.Output);
        using XmlReader html = XmlReader.Create(Path.Combine(_folder, "report.html"), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
        while (html.Read())
        {
        }
    }

    [Fact]
    public async Task Echo_run_gets_back_every_message_it_sent()
    {
        (BenchCli.Outcome outcome, JsonElement report) = await RunAsync(EchoMode.Echo,
            "echo", "--connections", "4", "--inflight", "8", "--size", "64", "--duration", "1s", "--warmup", "0s");

        JsonElement totals = report.GetProperty("totals");
        long sent = totals.GetProperty("messagesSent").GetInt64();
        Assert.True(sent > 0);
        Assert.Equal(sent, totals.GetProperty("messagesReceived").GetInt64());
        Assert.Equal(sent, totals.GetProperty("messagesExpected").GetInt64());
        Assert.Equal(sent * 64, totals.GetProperty("bytesReceived").GetInt64());
        Assert.True(report.GetProperty("throughput").GetProperty("messagesPerSecond").GetDouble() > 0);
        Assert.True(report.GetProperty("latency").GetProperty("count").GetInt64() > 0);
        AssertNoErrors(report);
        AssertProgressAndOutputs(outcome, report, "echo");
    }

    [Fact]
    public async Task Broadcast_run_delivers_every_message_to_every_client()
    {
        (BenchCli.Outcome outcome, JsonElement report) = await RunAsync(EchoMode.Broadcast,
            "broadcast", "--clients", "10", "--rates", "20,40", "--step", "500ms", "--settle", "10s");

        JsonElement totals = report.GetProperty("totals");
        long sent = totals.GetProperty("messagesSent").GetInt64();
        Assert.Equal(10 + 20, sent);
        Assert.Equal(sent * 10, totals.GetProperty("messagesExpected").GetInt64());
        Assert.Equal(sent * 10, totals.GetProperty("messagesReceived").GetInt64());
        JsonElement[] steps = [.. report.GetProperty("details").GetProperty("steps").EnumerateArray()];
        Assert.Equal([20, 40], steps.Select(s => s.GetProperty("rate").GetInt32()));
        Assert.All(steps, s => Assert.Equal(0, s.GetProperty("lost").GetInt64()));
        Assert.Equal(sent * 10, report.GetProperty("latency").GetProperty("count").GetInt64());
        AssertNoErrors(report);
        AssertProgressAndOutputs(outcome, report, "broadcast");
    }

    [Fact]
    public async Task Idle_run_opens_every_connection_it_asks_for()
    {
        (BenchCli.Outcome outcome, JsonElement report) = await RunAsync(EchoMode.Echo,
            "idle", "--connections", "50", "--concurrency", "8", "--settle", "500ms", "--hold", "0s",
            "--server-pid", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));

        JsonElement details = report.GetProperty("details");
        Assert.Equal(50, details.GetProperty("requested").GetInt32());
        Assert.Equal(50, details.GetProperty("opened").GetInt32());
        Assert.Equal(50, report.GetProperty("totals").GetProperty("connections").GetInt32());
        Assert.Equal(50, report.GetProperty("latency").GetProperty("count").GetInt64());
        Assert.True(details.GetProperty("rssBeforeKiB").GetInt64() > 0);
        AssertNoErrors(report);
        AssertProgressAndOutputs(outcome, report, "idle");
    }

    [Fact]
    public async Task Handshakes_run_completes_connection_lifetimes()
    {
        (BenchCli.Outcome outcome, JsonElement report) = await RunAsync(EchoMode.Echo,
            "handshakes", "--concurrency", "2", "--duration", "1s", "--warmup", "0s");

        long measured = report.GetProperty("throughput").GetProperty("messages").GetInt64();
        Assert.True(measured > 0);
        Assert.True(report.GetProperty("details").GetProperty("completedInRun").GetInt64() >= measured);
        Assert.True(report.GetProperty("latency").GetProperty("count").GetInt64() > 0);
        AssertNoErrors(report);
        AssertProgressAndOutputs(outcome, report, "handshakes");
    }
}
