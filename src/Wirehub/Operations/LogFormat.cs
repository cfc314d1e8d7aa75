namespace Wirehub.Cli.Operations;

/// <summary>How <c>wirehub serve</c> writes its logs to the console.</summary>
internal enum LogFormat
{
    /// <summary>One readable line per event: time, level, category, message.</summary>
    Simple,

    /// <summary>One JSON object per line, with the event's structured fields and scopes, for log collectors.</summary>
    Json,
}
