using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Wirehub.Bench.Tests.Support;
using Wirehub.Realtime.Server;

namespace Wirehub.Bench.Tests.Fanout;

/// <summary>One short run of `wirehub bench fanout` against the realtime server (MapWirehub) in this process.</summary>
public sealed class FanoutRunTests : IDisposable
{
    private const int Subscribers = 5;
    private readonly string _folder = Directory.CreateTempSubdirectory("wirehub-fanout-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static async Task<WebApplication> StartRealtimeServerAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddWirehub(options =>
        {
            options.PublishRate = 100_000;
            options.RequestRate = 100_000;
            // Small, so the stalled subscribers reach it within the run.
            options.SendQueueLimit = 16 * 1024;
        });
        var app = builder.Build();
        app.MapWirehub("/connection");
        await app.StartAsync();
        return app;
    }

    private async Task<JsonElement> RunAsync(params string[] args)
    {
        await using var server = await StartRealtimeServerAsync();
        int port = new Uri(server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()).Port;
        string json = Path.Combine(_folder, "report.json");
        BenchCli.Outcome outcome = await BenchCli.RunAsync([
            "fanout", "--url", $"ws://127.0.0.1:{port}/connection", "--json", json, "--progress", "off", .. args]);
        Assert.True(outcome.ExitCode == 0, $"exit {outcome.ExitCode}: {outcome.Error}");
        Assert.StartsWith("fanout against ws://127.0.0.1:", outcome.Output);
        return JsonDocument.Parse(File.ReadAllBytes(json)).RootElement.Clone();
    }

    [Fact]
    public async Task Every_subscriber_receives_every_published_message_and_every_publish_is_acknowledged()
    {
        JsonElement report = await RunAsync("--subscribers", $"{Subscribers}", "--rates", "20,40", "--step", "500ms", "--settle", "10s");

        JsonElement totals = report.GetProperty("totals");
        long sent = totals.GetProperty("messagesSent").GetInt64();
        Assert.Equal(10 + 20, sent);
        Assert.Equal(sent * Subscribers, totals.GetProperty("messagesExpected").GetInt64());
        Assert.Equal(sent * Subscribers, totals.GetProperty("messagesReceived").GetInt64());
        Assert.Equal(sent * Subscribers, report.GetProperty("latency").GetProperty("count").GetInt64());
        JsonElement details = report.GetProperty("details");
        Assert.Equal(details.GetProperty("published").GetInt64(), details.GetProperty("acknowledged").GetInt64());
        Assert.Equal([20, 40], details.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("rate").GetInt32()));
        Assert.All(details.GetProperty("steps").EnumerateArray(), s => Assert.Equal(0, s.GetProperty("lost").GetInt64()));
        Assert.Equal(0, report.GetProperty("errors").GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Stalled_subscribers_are_closed_by_the_server_while_the_others_receive_everything()
    {
        // 600 messages of about 1.2 KiB: far beyond each stalled subscriber's 16 KiB send queue and its small buffers.
        JsonElement report = await RunAsync("--subscribers", $"{Subscribers}", "--stalled", "2", "--size", "1000",
            "--rates", "200,400", "--step", "1s", "--settle", "10s");

        JsonElement totals = report.GetProperty("totals");
        long sent = totals.GetProperty("messagesSent").GetInt64();
        Assert.Equal(sent * Subscribers, totals.GetProperty("messagesReceived").GetInt64());
        JsonElement details = report.GetProperty("details");
        Assert.Equal(2, details.GetProperty("stalledClosedByServer").GetInt32());
        Assert.Equal(details.GetProperty("published").GetInt64(), details.GetProperty("acknowledged").GetInt64());
        Assert.Equal(0, report.GetProperty("errors").GetProperty("total").GetInt64());
    }
}
