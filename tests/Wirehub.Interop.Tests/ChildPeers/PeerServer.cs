namespace Wirehub.Interop.Tests.ChildPeers;

/// <summary>
/// A third-party echo server in a child process (peers/node/server.js or peers/python/server.py) on a free port, with
/// permessage-deflate on. It echoes every message, runs "!" text commands (!close code reason, !ping payload, !drop,
/// !fragments a|b|c, !invalid-utf8, !extensions) and reports each connection's events tagged with its request path.
/// </summary>
internal sealed class PeerServer : IAsyncDisposable
{
    private readonly PeerProcess _process;

    private PeerServer(PeerProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Starts the Node ws server and waits until it listens.</summary>
    public static Task<PeerServer> StartNodeAsync()
    {
        PeerLocations.RequireNodeModules();
        return StartAsync(PeerProcess.Start(PeerLocations.Node, PeerLocations.NodeDirectory, "server.js"));
    }

    /// <summary>Starts the Python websockets server and waits until it listens.</summary>
    public static Task<PeerServer> StartPythonAsync() =>
        StartAsync(PeerProcess.Start(PeerLocations.Python, PeerLocations.PythonDirectory, "server.py"));

    private static async Task<PeerServer> StartAsync(PeerProcess process)
    {
        try
        {
            var listening = await process.WaitForAsync("listening").ConfigureAwait(false);
            return new PeerServer(process, (int)listening.GetInt64("port"));
        }
        catch
        {
            await process.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>A URL on this server with a path no other test uses, so its events can be told apart.</summary>
    public Uri UrlFor(string path) => new($"ws://127.0.0.1:{Port}{path}");

    /// <summary>The server accepted the connection at <paramref name="path"/>: "extensions" is what it answered.</summary>
    public Task<PeerEvent> OpenedAsync(string path) => WaitForAsync("open", path);

    /// <summary>The next message the server received on the connection at <paramref name="path"/>.</summary>
    public async Task<PeerMessage> MessageAsync(string path) => new(await WaitForAsync("message", path).ConfigureAwait(false));

    /// <summary>The end of the connection at <paramref name="path"/> as the server saw it: "code" and "reason".</summary>
    public Task<PeerEvent> ClosedAsync(string path) => WaitForAsync("close", path);

    private Task<PeerEvent> WaitForAsync(string name, string path) =>
        _process.WaitForAsync(name, e => e.GetString("path") == path, what: $"a \"{name}\" event for {path}");

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
