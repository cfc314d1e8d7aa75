namespace Wirehub.Cli.Tests.Support;

/// <summary>A wirehub run that has ended: its exit code and everything it printed.</summary>
internal sealed record CompletedRun(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit code {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}
