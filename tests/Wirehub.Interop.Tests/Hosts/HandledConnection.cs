namespace Wirehub.Interop.Tests.Hosts;

/// <summary>What the <see cref="ScenarioServer"/> handler saw of one connection.</summary>
internal sealed class HandledConnection(string path, string? extensions)
{
    private readonly TaskCompletionSource<ServerClose> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Path { get; } = path;

    /// <summary>The connection's negotiated <c>Sec-WebSocket-Extensions</c>, or null.</summary>
    public string? Extensions { get; } = extensions;

    /// <summary>Completes when the handler returns, with the connection's close status and reason.</summary>
    public async Task<ServerClose> ClosedAsync() => await _closed.Task.WaitAsync(InteropTimeouts.Event).ConfigureAwait(false);

    internal void Complete(ServerClose close) => _closed.TrySetResult(close);
}
