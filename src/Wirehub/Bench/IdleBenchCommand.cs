using System.CommandLine;

namespace Wirehub.Cli.Bench;

/// <summary>`wirehub bench idle`: server memory per idle connection.</summary>
internal static class IdleBenchCommand
{
    public static Command Create()
    {
        BenchOptions common = new();
        Option<int> connections = BenchOptions.Count("--connections", "Idle connections to open and hold", 10_000);
        Option<int> concurrency = BenchOptions.Count("--concurrency", "Handshakes in progress at once while opening", 64);
        Option<TimeSpan> settle = BenchOptions.Duration("--settle",
            "Pause before each memory reading, for the server to settle", TimeSpan.FromSeconds(3));
        Option<TimeSpan> hold = BenchOptions.Duration("--hold", "How long to keep the connections open after the reading",
            TimeSpan.FromSeconds(3));

        Command command = new("idle", "Idle memory: server RSS growth per open, idle connection (needs --server-pid)");
        common.AddTo(command);
        command.Options.Add(connections);
        command.Options.Add(concurrency);
        command.Options.Add(settle);
        command.Options.Add(hold);
        command.Action = common.CreateAction(
            (parse, run, cancellation) => new IdleScenario(run, parse.GetValue(connections), parse.GetValue(concurrency),
                parse.GetValue(settle), parse.GetValue(hold), run.ServerPid!.Value).RunAsync(cancellation),
            parse => parse.GetValue(common.ServerPid) is null
                ? "idle reads the server's memory from /proc: pass its process id with --server-pid."
                : null);
        return command;
    }
}
