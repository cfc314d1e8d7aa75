using System.Text.Json;

namespace Wirehub.Cli.Bench;

/// <summary>A scenario's own figures beyond the common ones, e.g. broadcast's rate steps or idle's memory readings.</summary>
internal interface IReportDetails
{
    /// <summary>Writes lines for the text report, each indented by two spaces.</summary>
    void WriteText(TextWriter output);

    /// <summary>Writes the properties of the report's "details" object (the object itself is already open).</summary>
    void WriteJson(Utf8JsonWriter json);
}
