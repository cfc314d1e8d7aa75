using System.Text.Json;

namespace Wirehub.Cli.Bench;

/// <summary>What the broadcast scenario measured, step by step.</summary>
internal sealed class BroadcastReport(
    BenchTarget target, int? serverPid, int clients, int size, int[] rates, TimeSpan stepDuration,
    IReadOnlyList<BroadcastStep> steps, TimeSpan settled, TimeSpan p99Limit, int failures, string? firstFailure)
    : BenchReport("broadcast", target, serverPid)
{
    // A step counts as held when the sender got its rate out (within 3%, for timer granularity), the p99 stayed under
    // the limit and every client received every message.
    private const double RateTolerance = 0.97;

    /// <summary>The highest target rate of a held step, or 0 when none held.</summary>
    public int HighestRateHeld => steps.Where(IsHeld).Select(s => s.TargetRate).DefaultIfEmpty(0).Max();

    private bool IsHeld(BroadcastStep step) =>
        step.MessagesPerSecondIn >= step.TargetRate * RateTolerance
        && LatencyHistogram.ToMilliseconds(step.Latency.ValueAtPercentile(99)) < p99Limit.TotalMilliseconds
        && step.Lost == 0;

    protected override void WriteDetails(TextWriter output)
    {
        output.WriteLine($"  {clients} clients (client 1 also sends), {size}-byte text messages, {stepDuration.TotalSeconds:F0} s per step, settle {settled.TotalSeconds:F1} s");
        output.WriteLine("    rate   msg/s in   deliveries/s      p50 ms      p99 ms      max ms       lost   cpu gen / server");
        foreach (BroadcastStep step in steps)
        {
            output.WriteLine(
                $"  {step.TargetRate,6} {step.MessagesPerSecondIn,10:N0} {step.DeliveriesPerSecond,14:N0} "
                + $"{LatencyHistogram.ToMilliseconds(step.Latency.ValueAtPercentile(50)),11:F2} "
                + $"{LatencyHistogram.ToMilliseconds(step.Latency.ValueAtPercentile(99)),11:F2} "
                + $"{LatencyHistogram.ToMilliseconds(step.Latency.Max),11:F2} {step.Lost,10:N0}   "
                + $"{step.Cpu.GeneratorPercent,3:F0}% / {(step.Cpu.ServerPercent is double s ? $"{s:F0}%" : "n/a")}"
                + (IsHeld(step) ? "" : "  (not held)"));
        }

        if (steps.Count < rates.Length)
        {
            output.WriteLine($"  stopped after {steps.Count} of {rates.Length} steps: p99 passed the --stop-above-p99 limit");
        }

        output.WriteLine($"  highest rate held (p99 < {p99Limit.TotalMilliseconds:F0} ms, nothing lost): {HighestRateHeld} msg/s in");
        output.WriteLine($"  errors {failures}{(firstFailure is null ? "" : $" (first: {firstFailure})")}");
    }

    protected override void WriteJsonFields(Utf8JsonWriter json)
    {
        json.WriteNumber("clients", clients);
        json.WriteNumber("size", size);
        json.WriteNumber("stepSeconds", stepDuration.TotalSeconds);
        json.WriteNumber("settleSeconds", Math.Round(settled.TotalSeconds, 3));
        json.WriteNumber("p99LimitMs", p99Limit.TotalMilliseconds);
        json.WriteNumber("highestRateHeld", HighestRateHeld);
        json.WriteStartArray("steps");
        foreach (BroadcastStep step in steps)
        {
            json.WriteStartObject();
            json.WriteNumber("rate", step.TargetRate);
            json.WriteNumber("sent", step.Sent);
            json.WriteNumber("seconds", Math.Round(step.Seconds, 3));
            json.WriteNumber("messagesPerSecondIn", Math.Round(step.MessagesPerSecondIn, 1));
            json.WriteNumber("deliveriesPerSecond", Math.Round(step.DeliveriesPerSecond, 1));
            WriteLatency(json, "latency", step.Latency);
            json.WriteNumber("lost", step.Lost);
            json.WriteBoolean("held", IsHeld(step));
            WriteCpu(json, step.Cpu);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteNumber("errors", failures);
        json.WriteString("firstError", firstFailure);
    }
}
