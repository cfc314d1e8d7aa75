namespace Wirehub.Cli.Bench;

/// <summary>A fault the load generator found in what the server did, with the kind it is counted under.</summary>
internal sealed class BenchFailure(BenchErrorKind kind, string message) : IOException(message)
{
    public BenchErrorKind Kind { get; } = kind;
}
