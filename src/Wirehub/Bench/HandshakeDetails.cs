using System.Globalization;
using System.Text.Json;

namespace Wirehub.Cli.Bench;

/// <summary>The handshakes scenario's own figures: what one counted cycle is, and how many completed in the whole run.</summary>
internal sealed class HandshakeDetails(long completed) : IReportDetails
{
    public void WriteText(TextWriter output)
    {
        output.WriteLine("  one handshake: connect, upgrade, close frames both ways, server FIN; upgrade latency is connect to 101");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {completed:N0} complete connection lifetimes in the whole run, warm-up included"));
    }

    public void WriteJson(Utf8JsonWriter json) => json.WriteNumber("completedInRun", completed);
}
