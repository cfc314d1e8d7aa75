using System.CommandLine;
using Wirehub.Cli;

var root = new RootCommand("Wirehub: realtime messaging on a standards-compliant WebSocket engine.");
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(EchoCommand.Create());
root.Subcommands.Add(ConformanceClientCommand.Create());
root.Subcommands.Add(Wirehub.Cli.Bench.BenchCommand.Create());
return await root.Parse(args).InvokeAsync();
