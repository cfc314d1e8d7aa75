using System.CommandLine;

namespace Wirehub.Cli.Bench;

/// <summary>`wirehub bench handshakes`: complete connection lifetimes per second.</summary>
internal static class HandshakesBenchCommand
{
    public static Command Create()
    {
        BenchOptions common = new();
        Option<int> concurrency = BenchOptions.Count("--concurrency", "Connections opening or closing at once", 32);
        Option<TimeSpan> duration = BenchOptions.Duration("--duration", "How long to measure", TimeSpan.FromSeconds(10),
            allowZero: false);
        Option<TimeSpan> warmup = BenchOptions.Duration("--warmup", "How long to run before measuring", TimeSpan.FromSeconds(2));

        Command command = new("handshakes", "Handshakes: open TCP, upgrade, close both ways; completed per second");
        common.AddTo(command);
        command.Options.Add(concurrency);
        command.Options.Add(duration);
        command.Options.Add(warmup);
        command.Action = common.CreateAction((parse, run, cancellation) => new HandshakeScenario(run, parse.GetValue(concurrency),
            parse.GetValue(duration), parse.GetValue(warmup)).RunAsync(cancellation));
        return command;
    }
}
