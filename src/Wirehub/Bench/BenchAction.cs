using System.CommandLine;
using System.CommandLine.Invocation;

namespace Wirehub.Cli.Bench;

/// <summary>
/// The action of a scenario command. It takes over the command's parse errors, so that a bad option exits with 2 (a
/// usage error, as for most Unix tools) instead of the 1 that also means "the run failed"; each error names its option.
/// </summary>
/// <param name="run">Runs the scenario once the command line is sound.</param>
/// <param name="checks">
/// Rules across options, each returning what is wrong or null. They stand in for command validators, which do not run
/// for an action that takes over parse errors.
/// </param>
internal sealed class BenchAction(Func<ParseResult, CancellationToken, Task<int>> run, IReadOnlyList<Func<ParseResult, string?>> checks)
    : AsynchronousCommandLineAction
{
    /// <summary>The exit code of a command line that could not be understood.</summary>
    public const int UsageError = 2;

    /// <summary>The exit code of a run that could not be carried out, e.g. because the server refused connections.</summary>
    public const int RunFailed = 1;

    public override bool ClearsParseErrors => true;

    public override Task<int> InvokeAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        List<string> problems = [.. parseResult.Errors.Select(error => error.Message)];
        string command = $"wirehub bench {parseResult.CommandResult.Command.Name}";
        problems.AddRange(parseResult.UnmatchedTokens.Select(token => $"'{token}' is not an option of '{command}'."));
        if (problems.Count == 0)
        {
            // Only on a clean parse: the options' values are defaults where parsing failed.
            problems.AddRange(checks.Select(check => check(parseResult)).OfType<string>());
        }

        if (problems.Count == 0)
        {
            return run(parseResult, cancellationToken);
        }

        TextWriter error = parseResult.InvocationConfiguration.Error;
        foreach (string problem in problems)
        {
            error.WriteLine(problem);
        }

        error.WriteLine($"Run '{command} --help' for its options.");
        return Task.FromResult(UsageError);
    }
}
