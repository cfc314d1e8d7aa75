namespace Wirehub.Cli.Bench;

/// <summary>What one rate step of the broadcast measured.</summary>
/// <param name="TargetRate">Messages per second the sender was asked for.</param>
/// <param name="Sent">Messages the sender sent in the step.</param>
/// <param name="Seconds">How long the step took.</param>
/// <param name="Deliveries">Messages, of any step, that clients received during the step.</param>
/// <param name="Latency">Delivery latency of this step's messages, whenever they arrived.</param>
/// <param name="Cpu">CPU use over the step.</param>
internal sealed record BroadcastStep(int TargetRate, long Sent, double Seconds, long Deliveries, LatencyHistogram Latency, CpuUsage Cpu)
{
    /// <summary>Messages the clients should have received but had not by the end of the settle time.</summary>
    public long Lost { get; set; }

    public double MessagesPerSecondIn => Sent / Seconds;

    public double DeliveriesPerSecond => Deliveries / Seconds;
}
