using System.Net;
using System.Net.Sockets;

namespace Wirehub.Realtime.Tests.Chaos;

/// <summary>
/// A TCP proxy between clients and a server on 127.0.0.1 whose connections (<see cref="ProxyLink"/>) can be reset,
/// stalled or cut in one direction while they carry traffic. Give each client its own proxy to know which link is its.
/// </summary>
internal sealed class ChaosProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly List<ProxyLink> _links = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public ChaosProxy(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        _accepting = Task.Run(AcceptLoopAsync);
    }

    public Uri Url(string path = "/connection") => new($"ws://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}{path}");

    /// <summary>Every link relayed so far, oldest first.</summary>
    public IReadOnlyList<ProxyLink> Links
    {
        get { lock (_links) return [.. _links]; }
    }

    /// <summary>The newest link, if it is still open.</summary>
    public ProxyLink? Current
    {
        get
        {
            lock (_links) return _links.Count > 0 && !_links[^1].IsEnded ? _links[^1] : null;
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (true)
        {
            Socket inbound;
            try
            {
                inbound = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            try
            {
                var link = await ProxyLink.OpenAsync(inbound, _targetPort, _stop.Token);
                lock (_links) _links.Add(link);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                inbound.Dispose();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _accepting;
        foreach (var link in Links) link.Reset();
        _stop.Dispose();
    }
}
