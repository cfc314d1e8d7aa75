using System.Globalization;
using System.Text.Json;

namespace Wirehub.Cli.Bench;

/// <summary>
/// The fan-out scenario's own figures: each publish-rate step with its deliveries and publish-to-delivery latency, the
/// highest rate held, and what became of the stalled subscribers. Steps are written as broadcast writes them, so the
/// raw broadcast path and the fan-out path compare field by field.
/// </summary>
internal sealed class FanoutDetails(
    int subscribers, int stalled, int stalledClosed, string channel, int size, int[] rates, TimeSpan stepDuration,
    IReadOnlyList<BroadcastStep> steps, TimeSpan settled, TimeSpan p99Limit, long published, long acknowledged) : IReportDetails
{
    // A step counts as held when the publisher got its rate out (within 3%, for timer granularity), the p99 stayed under
    // the limit and every subscriber received every message.
    private const double RateTolerance = 0.97;

    /// <summary>The highest target rate of a held step, or 0 when none held.</summary>
    public int HighestRateHeld => steps.Where(IsHeld).Select(s => s.TargetRate).DefaultIfEmpty(0).Max();

    public bool IsHeld(BroadcastStep step) =>
        step.MessagesPerSecondIn >= step.TargetRate * RateTolerance
        && LatencyHistogram.ToMilliseconds(step.Latency.ValueAtPercentile(99)) < p99Limit.TotalMilliseconds
        && step.Lost == 0;

    public void WriteText(TextWriter output)
    {
        output.WriteLine(Invariant($"  1 publisher, {subscribers} subscribers of \"{channel}\", {stalled} stalled subscribers, {size}-character data, {stepDuration.TotalSeconds:0.###} s per step, settled in {settled.TotalSeconds:F1} s"));
        output.WriteLine(Invariant($"  publishes acknowledged: {acknowledged:N0} of {published:N0}; stalled subscribers closed by the server: {stalledClosed} of {stalled}"));
        output.WriteLine("    rate   msg/s in   deliveries/s      p50 ms      p99 ms      max ms       lost   cpu gen / server");
        foreach (BroadcastStep step in steps)
        {
            double p50 = LatencyHistogram.ToMilliseconds(step.Latency.ValueAtPercentile(50));
            double p99 = LatencyHistogram.ToMilliseconds(step.Latency.ValueAtPercentile(99));
            double max = LatencyHistogram.ToMilliseconds(step.Latency.Max);
            string server = step.Cpu.ServerPercent is double s ? Invariant($"{s:F0}%") : "n/a";
            output.WriteLine(
                Invariant($"  {step.TargetRate,6} {step.MessagesPerSecondIn,10:N0} {step.DeliveriesPerSecond,14:N0} ")
                + Invariant($"{p50,11:F2} {p99,11:F2} {max,11:F2} {step.Lost,10:N0}   ")
                + Invariant($"{step.Cpu.GeneratorPercent,3:F0}% / {server}{(IsHeld(step) ? "" : "  (not held)")}"));
        }

        if (steps.Count < rates.Length)
        {
            output.WriteLine($"  stopped after {steps.Count} of {rates.Length} steps: p99 passed the --stop-above-p99 limit");
        }

        output.WriteLine(Invariant($"  highest rate held (p99 < {p99Limit.TotalMilliseconds:F0} ms, nothing lost): {HighestRateHeld} msg/s in"));
    }

    public void WriteJson(Utf8JsonWriter json)
    {
        json.WriteNumber("subscribers", subscribers);
        json.WriteNumber("stalled", stalled);
        json.WriteNumber("stalledClosedByServer", stalledClosed);
        json.WriteString("channel", channel);
        json.WriteNumber("published", published);
        json.WriteNumber("acknowledged", acknowledged);
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
            ReportJson.WriteLatency(json, "latency", step.Latency, withHistogram: false);
            json.WriteNumber("lost", step.Lost);
            json.WriteBoolean("held", IsHeld(step));
            ReportJson.WriteCpu(json, "cpu", step.Cpu);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
