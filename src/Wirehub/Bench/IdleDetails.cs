using System.Globalization;
using System.Text.Json;

namespace Wirehub.Cli.Bench;

/// <summary>The idle scenario's own figures: the server's resident memory before and after, and the growth per connection.</summary>
internal sealed class IdleDetails(int requested, int opened, double openSeconds, long rssBeforeKiB, long rssAfterKiB) : IReportDetails
{
    /// <summary>Server memory growth divided by the connections opened, in KiB.</summary>
    public double KiBPerConnection => opened == 0 ? 0 : (double)(rssAfterKiB - rssBeforeKiB) / opened;

    public void WriteText(TextWriter output)
    {
        output.WriteLine(Invariant($"  {opened:N0} of {requested:N0} connections open and idle, opened in {openSeconds:F1} s"));
        output.WriteLine(Invariant($"  server RSS      {rssBeforeKiB / 1024.0:F1} MiB before, {rssAfterKiB / 1024.0:F1} MiB after"));
        output.WriteLine(Invariant($"  per connection  {KiBPerConnection:F2} KiB"));
    }

    public void WriteJson(Utf8JsonWriter json)
    {
        json.WriteNumber("requested", requested);
        json.WriteNumber("opened", opened);
        json.WriteNumber("openSeconds", Math.Round(openSeconds, 3));
        json.WriteNumber("rssBeforeKiB", rssBeforeKiB);
        json.WriteNumber("rssAfterKiB", rssAfterKiB);
        json.WriteNumber("kibPerConnection", Math.Round(KiBPerConnection, 3));
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
