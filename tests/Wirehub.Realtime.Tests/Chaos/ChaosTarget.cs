namespace Wirehub.Realtime.Tests.Chaos;

/// <summary>
/// A client that faults act on: its own proxy, whether it is connected, how many connections it has lost so far, and how
/// it aborts its own socket.
/// </summary>
internal sealed record ChaosTarget(string Name, ChaosProxy Proxy, Func<bool> IsConnected, Func<int> Disconnects,
    Func<ValueTask>? AbortOwnSocket = null);
