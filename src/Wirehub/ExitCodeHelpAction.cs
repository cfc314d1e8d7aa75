using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Wirehub.Cli;

/// <summary>The standard help of every command, followed by the exit codes every command shares.</summary>
internal sealed class ExitCodeHelpAction(HelpAction standard) : SynchronousCommandLineAction
{
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        int result = standard.Invoke(parseResult);
        var output = parseResult.InvocationConfiguration.Output;
        output.WriteLine("Exit codes:");
        output.WriteLine($"  {ExitCode.Ok}  ok");
        output.WriteLine($"  {ExitCode.Failure}  runtime failure (a refused connection, a failed publish, a port in use, ...)");
        output.WriteLine($"  {ExitCode.Usage}  usage or configuration error (a bad flag or setting; nothing was attempted)");
        output.WriteLine();
        return result;
    }
}
