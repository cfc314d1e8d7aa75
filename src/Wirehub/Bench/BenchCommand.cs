using System.CommandLine;

namespace Wirehub.Cli.Bench;

/// <summary>
/// The `wirehub bench` load generator: drives a WebSocket server from one core with raw sockets and pre-built frames
/// so that the server, not the generator, is the limit.
/// </summary>
public static class BenchCommand
{
    /// <summary>Creates the "bench" command with its scenarios: echo, broadcast, idle and handshakes.</summary>
    /// <returns>A command to add to the root command.</returns>
    public static Command Create()
    {
        Command bench = new("bench", "Load-test a WebSocket server: echo, broadcast, idle memory and handshakes");
        bench.Subcommands.Add(EchoBenchCommand.Create());
        bench.Subcommands.Add(BroadcastBenchCommand.Create());
        bench.Subcommands.Add(FanoutBenchCommand.Create());
        bench.Subcommands.Add(IdleBenchCommand.Create());
        bench.Subcommands.Add(HandshakesBenchCommand.Create());
        return bench;
    }
}
