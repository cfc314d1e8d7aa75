using System.Text.Json;
using System.Text.Json.Nodes;

namespace Wirehub.Interop.Tests.ChildPeers;

/// <summary>
/// A third-party WebSocket client in a child process (peers/node/client.js or peers/python/client.py), which connects
/// at start and then runs the commands it is given. Both scripts speak the same command and event vocabulary.
/// </summary>
internal sealed class PeerClient : IAsyncDisposable
{
    private readonly PeerProcess _process;

    private PeerClient(PeerProcess process) => _process = process;

    /// <summary>Starts the Node ws client against <paramref name="url"/>.</summary>
    public static PeerClient StartNode(Uri url, bool deflate = true)
    {
        PeerLocations.RequireNodeModules();
        return new PeerClient(PeerProcess.Start(PeerLocations.Node, PeerLocations.NodeDirectory, Arguments("client.js", url, deflate)));
    }

    /// <summary>Starts the Python websockets client against <paramref name="url"/>.</summary>
    public static PeerClient StartPython(Uri url, bool deflate = true) =>
        new(PeerProcess.Start(PeerLocations.Python, PeerLocations.PythonDirectory, Arguments("client.py", url, deflate)));

    private static string[] Arguments(string script, Uri url, bool deflate) =>
        deflate ? [script, url.ToString()] : [script, url.ToString(), "--no-deflate"];

    /// <summary>Waits for the opening handshake; the event carries "extensions" (the response header) and "protocol".</summary>
    public Task<PeerEvent> OpenedAsync() => _process.WaitForAsync("open");

    public Task SendTextAsync(string text) => RunAsync("send", new { text });

    public Task SendBinaryAsync(byte[] data) => RunAsync("send", new { base64 = Convert.ToBase64String(data), binary = true });

    /// <summary>Sends the file's bytes as one binary message (for payloads too large for a command line).</summary>
    public Task SendFileAsync(string path, TimeSpan timeout) => RunAsync("send-file", new { path, binary = true }, timeout);

    /// <summary>Sends one message as one frame per part, through the library's own fragmenting API.</summary>
    public Task SendFragmentsAsync(string[] parts, bool binary) => RunAsync("send-fragments", new { parts, binary });

    /// <summary>Sends a text frame whose payload is not valid UTF-8.</summary>
    public Task SendInvalidUtf8Async() => RunAsync("send-invalid-utf8");

    public Task PingAsync(string payload) => RunAsync("ping", new { text = payload });

    /// <summary>Starts the closing handshake with a code and reason.</summary>
    public Task CloseAsync(int code, string reason) => RunAsync("close", new { code, reason });

    /// <summary>Drops the TCP connection without a close frame.</summary>
    public Task DropAsync() => RunAsync("drop");

    /// <summary>The next message the client received.</summary>
    public async Task<PeerMessage> NextMessageAsync(TimeSpan? timeout = null) =>
        new(await _process.WaitForAsync("message", timeout: timeout).ConfigureAwait(false));

    /// <summary>The pong the client received for its ping with <paramref name="payload"/>.</summary>
    public Task<PeerEvent> PongAsync(string payload) =>
        _process.WaitForAsync("pong", e => e.GetString("text") == payload, what: $"a pong with payload \"{payload}\"");

    /// <summary>The end of the connection as the client saw it: "code" and "reason".</summary>
    public Task<PeerEvent> ClosedAsync() => _process.WaitForAsync("close");

    /// <summary>Sends {"op": op, ...fields} and waits until the peer reports it done (or failed).</summary>
    private async Task RunAsync(string op, object? fields = null, TimeSpan? timeout = null)
    {
        var command = fields is null ? new JsonObject() : JsonSerializer.SerializeToNode(fields)!.AsObject();
        command["op"] = op;
        await _process.SendAsync(command).ConfigureAwait(false);
        var outcome = await _process.WaitForAsync(e => e.Name is "done" or "error" && e.Has("op") && e.GetString("op") == op,
            $"completion of \"{op}\"", timeout).ConfigureAwait(false);
        if (outcome.Name == "error")
            throw new InvalidOperationException($"The peer could not run \"{op}\": {outcome.GetString("message")}");
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
