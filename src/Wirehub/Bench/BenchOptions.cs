using System.CommandLine;
using System.CommandLine.Parsing;

namespace Wirehub.Cli.Bench;

/// <summary>Options every scenario shares, the factories for the kinds of option they use, and the run itself.</summary>
internal sealed class BenchOptions
{
    public Option<Uri> Url { get; } = new("--url")
    {
        Description = "The server's WebSocket endpoint, e.g. ws://127.0.0.1:5000/",
        Required = true,
        CustomParser = ParseUrl,
    };

    public Option<int?> ServerPid { get; } = new("--server-pid")
    {
        Description = "The server's process id, to report its CPU use (and, for idle, its memory) from /proc",
    };

    public Option<FileInfo?> Json { get; } = new("--json")
    {
        Description = "Also write the full report as JSON to this file",
    };

    public Option<FileInfo?> Html { get; } = new("--html")
    {
        Description = "Also write the report as one self-contained HTML page with its charts to this file",
    };

    public Option<ProgressMode> Progress { get; } = new("--progress")
    {
        Description = "Live progress on stderr: auto (in place on a terminal, else a line a second), lines or off",
        DefaultValueFactory = _ => ProgressMode.Auto,
    };

    /// <summary>Adds the shared options to a scenario command.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(Url);
        command.Options.Add(ServerPid);
        command.Options.Add(Json);
        command.Options.Add(Html);
        command.Options.Add(Progress);
    }

    /// <summary>A duration option ("10s", "500ms", "2m"); zero is refused unless <paramref name="allowZero"/>.</summary>
    public static Option<TimeSpan> Duration(string name, string description, TimeSpan defaultValue, bool allowZero = true) =>
        new(name)
        {
            Description = description,
            CustomParser = result => DurationSyntax.Parse(result, allowZero),
            DefaultValueFactory = _ => defaultValue,
        };

    public static Option<int> Count(string name, string description, int defaultValue, int minimum = 1)
    {
        Option<int> option = new(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < minimum)
            {
                result.AddError($"{name} must be at least {minimum}.");
            }
        });
        return option;
    }

    private static Uri ParseUrl(ArgumentResult result)
    {
        string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (Uri.TryCreate(text, UriKind.Absolute, out Uri? url))
        {
            return url;
        }

        result.AddError($"--url: '{text}' is not an absolute URL; write it like ws://127.0.0.1:5000/.");
        return new Uri("ws://127.0.0.1/");
    }

    /// <summary>
    /// Creates the action of a scenario command: runs the scenario with live progress on stderr, prints its report on
    /// stdout and writes the JSON and HTML files asked for. Exits with 0 once the report is out (errors the run met are
    /// in it), 1 when the run could not be carried out, 2 for a bad command line.
    /// </summary>
    /// <param name="scenario">Runs the scenario and returns its report.</param>
    /// <param name="checks">Rules across options, each returning what is wrong with the command line or null.</param>
    public BenchAction CreateAction(Func<ParseResult, BenchRun, CancellationToken, Task<BenchReport>> scenario,
        params Func<ParseResult, string?>[] checks) =>
        new((parse, cancellation) => RunAsync(parse, scenario, cancellation), checks);

    private async Task<int> RunAsync(ParseResult parse, Func<ParseResult, BenchRun, CancellationToken, Task<BenchReport>> scenario,
        CancellationToken cancellation)
    {
        TextWriter output = parse.InvocationConfiguration.Output;
        TextWriter error = parse.InvocationConfiguration.Error;
        try
        {
            ProgressMode progress = parse.GetValue(Progress);
            bool inPlace = progress == ProgressMode.Auto && ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected;
            BenchRun run = new(BenchTarget.Resolve(parse.GetRequiredValue(Url)), parse.GetValue(ServerPid), error, inPlace,
                progressShown: progress != ProgressMode.Off);
            BenchReport report = await scenario(parse, run, cancellation);
            ReportTable.Write(report, output);
            if (parse.GetValue(Json) is FileInfo json)
            {
                ReportJson.WriteFile(report, json);
            }

            if (parse.GetValue(Html) is FileInfo html)
            {
                ReportHtml.WriteFile(report, html);
            }

            return 0;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            error.WriteLine($"bench {parse.CommandResult.Command.Name} failed: {exception.Message}");
            return BenchAction.RunFailed;
        }
    }
}
