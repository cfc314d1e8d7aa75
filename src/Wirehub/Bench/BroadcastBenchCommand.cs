using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Wirehub.Cli.Bench;

/// <summary>`wirehub bench broadcast`: delivery latency and loss to many clients as the send rate rises.</summary>
internal static class BroadcastBenchCommand
{
    public static Command Create()
    {
        BenchOptions common = new();
        Option<int> clients = BenchOptions.Count("--clients", "Connected clients, the sender included", 1000, minimum: 1);
        Option<int[]> rates = new("--rates")
        {
            Description = "Send rates in messages/s, one step each, e.g. 200,400,700",
            CustomParser = ParseRates,
            DefaultValueFactory = _ => [200, 400, 700, 1000, 1400, 2000],
        };
        Option<TimeSpan> step = BenchOptions.Duration("--step", "How long each rate is held", TimeSpan.FromSeconds(5),
            allowZero: false);
        Option<int> size = BenchOptions.Count("--size", $"Payload bytes per message (at least {BroadcastPayload.StampLength})",
            32, minimum: BroadcastPayload.StampLength);
        Option<TimeSpan> settle = BenchOptions.Duration("--settle",
            "How long to wait after the last step for late messages before counting the lost ones", TimeSpan.FromSeconds(5));
        Option<TimeSpan> p99Limit = BenchOptions.Duration("--p99-limit",
            "The p99 a step must stay under to count as held", TimeSpan.FromMilliseconds(100), allowZero: false);
        Option<TimeSpan> stopAbove = BenchOptions.Duration("--stop-above-p99",
            "Skip the remaining steps once a step's p99 passes this (0: run every step)", TimeSpan.Zero);

        Command command = new("broadcast", "Broadcast: one sender at rising rates, p50/p99 delivery latency and loss per step");
        common.AddTo(command);
        command.Options.Add(clients);
        command.Options.Add(rates);
        command.Options.Add(step);
        command.Options.Add(size);
        command.Options.Add(settle);
        command.Options.Add(p99Limit);
        command.Options.Add(stopAbove);
        command.Action = common.CreateAction((parse, run, cancellation) => new BroadcastScenario(run, parse.GetValue(clients),
            parse.GetRequiredValue(rates), parse.GetValue(step), parse.GetValue(size), parse.GetValue(settle),
            parse.GetValue(stopAbove), parse.GetValue(p99Limit)).RunAsync(cancellation));
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
            result.AddError($"--rates needs 1 to {BroadcastPayload.MaxSteps} comma-separated rates, e.g. 200,400,700.");
        }

        return values;
    }
}
