using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using Wirehub.Cli;

var root = new RootCommand("Wirehub: realtime messaging on a standards-compliant WebSocket engine.");
var help = root.Options.OfType<HelpOption>().Single();
help.Action = new ExitCodeHelpAction((HelpAction)help.Action!);
var serve = ServeCommand.Create();
var connect = ConnectCommand.Create();
root.Subcommands.Add(serve);
root.Subcommands.Add(connect);
root.Subcommands.Add(PublishCommand.Create());
root.Subcommands.Add(EchoCommand.Create());
root.Subcommands.Add(ConformanceClientCommand.Create());
root.Subcommands.Add(Wirehub.Cli.Bench.BenchCommand.Create());

var parse = root.Parse(args);
if (parse.Errors.Count > 0 && parse.Action is not { ClearsParseErrors: true })
{
    foreach (var error in parse.Errors) Console.Error.WriteLine($"wirehub: {error.Message}");
    var names = new List<string>();
    for (SymbolResult? result = parse.CommandResult; result is CommandResult commandResult; result = commandResult.Parent)
        names.Insert(0, commandResult.Command == root ? "wirehub" : commandResult.Command.Name);
    Console.Error.WriteLine($"Run '{string.Join(' ', names)} --help' for usage.");
    return ExitCode.Usage;
}
var invocation = new InvocationConfiguration();
// serve (through the host's lifetime) and connect (with a closing handshake) handle Ctrl+C and SIGTERM themselves,
// taking as long as they need; the other commands stop when their cancellation token fires.
if (parse.CommandResult.Command == serve || parse.CommandResult.Command == connect) invocation.ProcessTerminationTimeout = null;
return await parse.InvokeAsync(invocation);
