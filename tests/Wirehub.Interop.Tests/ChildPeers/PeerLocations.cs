using System.Reflection;

namespace Wirehub.Interop.Tests.ChildPeers;

/// <summary>Where the third-party peer programs and their interpreters are.</summary>
internal static class PeerLocations
{
    /// <summary>Debian's interpreter, which has python3-websockets; a pyenv python3 on PATH does not.</summary>
    public const string Python = "/usr/bin/python3";

    public const string Node = "node";

    public static string Directory { get; } = typeof(PeerLocations).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(attribute => attribute.Key == "PeersDirectory").Value!;

    public static string NodeDirectory => Path.Combine(Directory, "node");

    public static string PythonDirectory => Path.Combine(Directory, "python");

    /// <summary>Fails with what to run when the ws package has not been installed.</summary>
    public static void RequireNodeModules()
    {
        if (!File.Exists(Path.Combine(NodeDirectory, "node_modules", "ws", "package.json")))
            throw new InvalidOperationException(
                $"The npm package ws is not installed in {NodeDirectory}: run .ci/install-interop.sh (or `npm ci` there).");
    }
}
