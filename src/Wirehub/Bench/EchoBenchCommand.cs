using System.CommandLine;

namespace Wirehub.Cli.Bench;

/// <summary>`wirehub bench echo`: round-trip throughput and latency under a fixed in-flight window.</summary>
internal static class EchoBenchCommand
{
    public static Command Create()
    {
        BenchOptions common = new();
        Option<int> connections = BenchOptions.Count("--connections", "Connections to open", 64);
        Option<int> inflight = BenchOptions.Count("--inflight", "Messages outstanding per connection", 16);
        Option<int> size = BenchOptions.Count("--size", "Payload bytes per message (at least 16)", 32, minimum: 16);
        Option<TimeSpan> duration = BenchOptions.Duration("--duration", "How long to measure", TimeSpan.FromSeconds(10),
            allowZero: false);
        Option<TimeSpan> warmup = BenchOptions.Duration("--warmup", "How long to run before measuring", TimeSpan.FromSeconds(3));

        Command command = new("echo", "Echo round trips: messages/s, MB/s and round-trip latency");
        common.AddTo(command);
        command.Options.Add(connections);
        command.Options.Add(inflight);
        command.Options.Add(size);
        command.Options.Add(duration);
        command.Options.Add(warmup);
        command.Action = common.CreateAction((parse, run, cancellation) => new EchoScenario(run, parse.GetValue(connections),
            parse.GetValue(inflight), parse.GetValue(size), parse.GetValue(duration), parse.GetValue(warmup)).RunAsync(cancellation));
        return command;
    }
}
