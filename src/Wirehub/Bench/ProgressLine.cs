namespace Wirehub.Cli.Bench;

/// <summary>
/// Shows a run's progress once a second: on a terminal one line rewritten in place (a fresh line per phase, so each
/// phase's last figures stay visible), elsewhere a plain line each time, so a CI log reads as a table.
/// </summary>
internal sealed class ProgressLine(TextWriter output, bool inPlace, string rateLabel)
{
    private int _shownLength;
    private string? _shownPhase;

    /// <summary>The line for one sample, e.g. "00:12  measure       64 conn  1,070,022 msg/s  34.2 MB/s  p99 1.234 ms  errors 0".</summary>
    public static string Format(LiveSample sample, string rateLabel)
    {
        long whole = (long)Math.Floor(sample.ElapsedSeconds);
        string p99 = sample.P99SoFarMs is double ms ? FormatMilliseconds(ms) : "-";
        return FormattableString.Invariant($"{whole / 60:00}:{whole % 60:00}  {sample.Phase,-12} {sample.Connections,7:N0} conn  ")
            + FormattableString.Invariant($"{sample.MessagesPerSecond,11:N0} {rateLabel}  {sample.MegabytesPerSecond,8:F1} MB/s  ")
            + FormattableString.Invariant($"p99 {p99,10}  errors {sample.Errors:N0}");
    }

    /// <summary>Milliseconds with three significant decimals below 10 ms and fewer above, e.g. "0.412 ms", "48.3 ms".</summary>
    public static string FormatMilliseconds(double ms) => ms switch
    {
        < 10 => FormattableString.Invariant($"{ms:F3} ms"),
        < 100 => FormattableString.Invariant($"{ms:F2} ms"),
        < 1000 => FormattableString.Invariant($"{ms:F1} ms"),
        _ => FormattableString.Invariant($"{ms:F0} ms"),
    };

    /// <summary>Shows a sample.</summary>
    public void Write(LiveSample sample)
    {
        string line = Format(sample, rateLabel);
        if (!inPlace)
        {
            output.WriteLine(line);
        }
        else
        {
            if (_shownLength > 0 && sample.Phase != _shownPhase)
            {
                output.WriteLine();
                _shownLength = 0;
            }

            // Carriage return, then spaces over whatever the longer previous line left.
            output.Write('\r');
            output.Write(line);
            if (line.Length < _shownLength)
            {
                output.Write(new string(' ', _shownLength - line.Length));
            }

            _shownLength = line.Length;
            _shownPhase = sample.Phase;
        }

        output.Flush();
    }

    /// <summary>Ends the line in place, so the report that follows starts on a line of its own.</summary>
    public void Finish()
    {
        if (inPlace && _shownLength > 0)
        {
            output.WriteLine();
            output.Flush();
            _shownLength = 0;
        }
    }
}
