namespace Wirehub.Conformance.Tests.Engine;

/// <summary>
/// Knobs that trade run time against fidelity to the original catalogue. Two kinds of timing appear in case
/// definitions: deliberate pauses (e.g. "wait 1 s between fragments", which always cost their full length) and
/// failure-detection timeouts (kill after / close after / closing handshake, which only run out when the peer
/// misbehaves). Pauses are shortened; timeouts are lengthened, so a slow but correct peer on a busy machine is
/// never judged by the clock.
/// </summary>
internal sealed record HarnessOptions
{
    /// <summary>Multiplier for deliberate pauses (5.19, 5.20, the first pause of 6.4.x).</summary>
    public double PauseScale { get; init; } = 0.25;

    /// <summary>Multiplier for failure-detection timeouts, including the 6.4.x fail-fast window.</summary>
    public double TimeoutScale { get; init; } = 3;

    /// <summary>Hard limit for one case; a hang becomes a FAILED verdict saying so.</summary>
    public TimeSpan CaseTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Sections 12 and 13 send 1000 messages of up to 128 KiB per case (about 9 GB through a deflate engine in
    /// total). By default each case sends at most this many payload bytes (but at least 32 messages and never more
    /// than the original 1000); <see cref="FullMessageCounts"/> restores the original counts.
    /// </summary>
    public long CompressionBytesPerCase { get; init; } = 2 * 1024 * 1024;

    public bool FullMessageCounts { get; init; }

    /// <summary>How many cases run at once.</summary>
    public int MaxParallelCases { get; init; } = 4;

    public TimeSpan Pause(double seconds) => TimeSpan.FromSeconds(seconds * PauseScale);

    public TimeSpan Timeout(double seconds) => TimeSpan.FromSeconds(seconds * TimeoutScale);

    /// <summary>Messages a section 12/13 case sends for payloads of <paramref name="length"/>.</summary>
    public int CompressionMessageCount(int length, int originalCount) =>
        FullMessageCounts ? originalCount : (int)Math.Clamp(CompressionBytesPerCase / Math.Max(1, length), 32, originalCount);

    /// <summary>
    /// Defaults, overridden by WIREHUB_CONFORMANCE_FULL=1 (original pauses and message counts) and
    /// WIREHUB_CONFORMANCE_PARALLEL=N.
    /// </summary>
    public static HarnessOptions FromEnvironment()
    {
        var options = new HarnessOptions();
        if (Environment.GetEnvironmentVariable("WIREHUB_CONFORMANCE_FULL") == "1")
            options = options with { PauseScale = 1, FullMessageCounts = true, CaseTimeout = TimeSpan.FromSeconds(600) };
        if (int.TryParse(Environment.GetEnvironmentVariable("WIREHUB_CONFORMANCE_PARALLEL"), out int parallel) && parallel > 0)
            options = options with { MaxParallelCases = parallel };
        return options;
    }
}
