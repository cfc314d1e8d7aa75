using System.CommandLine;
using System.CommandLine.Parsing;

namespace Wirehub.Cli.Bench;

/// <summary>Options every scenario shares, and factories for the kinds of option they use.</summary>
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
        Description = "Also write the report as JSON to this file",
    };

    /// <summary>Adds the shared options to a scenario command.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(Url);
        command.Options.Add(ServerPid);
        command.Options.Add(Json);
    }

    public static Option<TimeSpan> Duration(string name, string description, TimeSpan defaultValue) => new(name)
    {
        Description = description,
        CustomParser = DurationSyntax.Parse,
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

        result.AddError($"'{text}' is not an absolute URL; write it like ws://127.0.0.1:5000/.");
        return new Uri("ws://127.0.0.1/");
    }

    /// <summary>Runs a scenario, publishing its report; failures print what went wrong and exit with 1.</summary>
    public async Task<int> RunAsync<TReport>(ParseResult parse, Func<BenchTarget, int?, CancellationToken, Task<TReport>> scenario,
        CancellationToken cancellation)
        where TReport : BenchReport
    {
        try
        {
            BenchTarget target = BenchTarget.Resolve(parse.GetRequiredValue(Url));
            TReport report = await scenario(target, parse.GetValue(ServerPid), cancellation);
            report.Publish(Console.Out, parse.GetValue(Json));
            return 0;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Console.Error.WriteLine($"bench {parse.CommandResult.Command.Name} failed: {exception.Message}");
            return 1;
        }
    }
}
