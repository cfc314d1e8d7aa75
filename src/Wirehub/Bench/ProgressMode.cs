namespace Wirehub.Cli.Bench;

/// <summary>How live progress is shown on stderr.</summary>
internal enum ProgressMode
{
    /// <summary>One line rewritten in place when stderr is a terminal, else <see cref="Lines"/>.</summary>
    Auto,

    /// <summary>A new line every second, readable in CI logs.</summary>
    Lines,

    /// <summary>No progress output.</summary>
    Off,
}
