namespace Wirehub.Cli;

/// <summary>The exit codes of every <c>wirehub</c> command, as documented in the help and docs/GETTING-STARTED.md.</summary>
internal static class ExitCode
{
    /// <summary>Done as asked.</summary>
    public const int Ok = 0;

    /// <summary>A runtime failure: a refused connection, a failed publish, a port already in use.</summary>
    public const int Failure = 1;

    /// <summary>A usage or configuration error: a bad flag, a refused setting; nothing was attempted.</summary>
    public const int Usage = 2;
}
