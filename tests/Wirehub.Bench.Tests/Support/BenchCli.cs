using System.CommandLine;
using Wirehub.Cli.Bench;

namespace Wirehub.Bench.Tests.Support;

/// <summary>Runs `wirehub bench ...` in process, as the executable's root command would, capturing both streams.</summary>
internal static class BenchCli
{
    public sealed record Outcome(int ExitCode, string Output, string Error);

    public static async Task<Outcome> RunAsync(params string[] args)
    {
        RootCommand root = new("wirehub");
        root.Subcommands.Add(BenchCommand.Create());
        StringWriter output = new();
        StringWriter error = new();
        int exitCode = await root.Parse(["bench", .. args]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return new Outcome(exitCode, output.ToString(), error.ToString());
    }
}
