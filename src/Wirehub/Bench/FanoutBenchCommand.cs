using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Wirehub.Cli.Bench;

/// <summary>
/// `wirehub bench fanout`: one publisher, many subscribers of one channel over wirehub.v1; deliveries per second and
/// publish-to-delivery latency as the publish rate rises, optionally beside subscribers that stop reading.
/// </summary>
internal static class FanoutBenchCommand
{
    public static Command Create()
    {
        BenchOptions common = new();
        Option<int> subscribers = BenchOptions.Count("--subscribers", "Subscribers of the channel that read everything", 1000, minimum: 1);
        Option<int> stalled = BenchOptions.Count("--stalled",
            "Subscribers that stop reading once subscribed, until the server closes them as slow consumers", 0, minimum: 0);
        Option<string> channel = new("--channel")
        {
            Description = "The channel published to and subscribed to",
            DefaultValueFactory = _ => "bench:fanout",
        };
        channel.Validators.Add(result =>
        {
            string? name = result.GetValueOrDefault<string>();
            if (string.IsNullOrEmpty(name) || name.Length > 255 || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || "_-:.@/=,".Contains(c))))
            {
                result.AddError("--channel must be 1-255 characters from A-Z a-z 0-9 _ - : . @ / = , (docs/PROTOCOL.md).");
            }
        });
        Option<int[]> rates = new("--rates")
        {
            Description = "Publish rates in messages/s, one step each, e.g. 50,100,200",
            CustomParser = ParseRates,
            DefaultValueFactory = _ => [50, 100, 200, 400],
        };
        Option<TimeSpan> step = BenchOptions.Duration("--step", "How long each rate is held", TimeSpan.FromSeconds(5), allowZero: false);
        Option<int> size = BenchOptions.Count("--size",
            $"Characters of each message's data string (at least {FanoutPayload.MinimumDataSize}: the stamp)", 32,
            minimum: FanoutPayload.MinimumDataSize);
        Option<TimeSpan> settle = BenchOptions.Duration("--settle",
            "How long to wait after the last step for late messages before counting the lost ones", TimeSpan.FromSeconds(5));
        Option<TimeSpan> p99Limit = BenchOptions.Duration("--p99-limit",
            "The p99 a step must stay under to count as held", TimeSpan.FromMilliseconds(100), allowZero: false);
        Option<TimeSpan> stopAbove = BenchOptions.Duration("--stop-above-p99",
            "Skip the remaining steps once a step's p99 passes this (0: run every step)", TimeSpan.Zero);

        Command command = new("fanout",
            "Channel fan-out over wirehub.v1: one publisher at rising rates, p50/p99 publish-to-delivery latency and loss per step");
        common.AddTo(command);
        command.Options.Add(subscribers);
        command.Options.Add(stalled);
        command.Options.Add(channel);
        command.Options.Add(rates);
        command.Options.Add(step);
        command.Options.Add(size);
        command.Options.Add(settle);
        command.Options.Add(p99Limit);
        command.Options.Add(stopAbove);
        command.Action = common.CreateAction((parse, run, cancellation) => new FanoutScenario(run, parse.GetValue(subscribers),
            parse.GetValue(stalled), parse.GetRequiredValue(channel), parse.GetRequiredValue(rates), parse.GetValue(step),
            parse.GetValue(size), parse.GetValue(settle), parse.GetValue(stopAbove), parse.GetValue(p99Limit)).RunAsync(cancellation));
        return command;
    }

    private static int[] ParseRates(ArgumentResult result)
    {
        string text = string.Join(',', result.Tokens.Select(t => t.Value));
        string[] parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        int[] values = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out values[i]) || values[i] < 1)
            {
                result.AddError($"'{parts[i]}' in --rates is not a positive whole number of messages per second.");
                return [];
            }
        }

        if (values.Length is 0 or > BroadcastPayload.MaxSteps)
        {
            result.AddError($"--rates needs 1 to {BroadcastPayload.MaxSteps} comma-separated rates, e.g. 50,100,200.");
        }

        return values;
    }
}
