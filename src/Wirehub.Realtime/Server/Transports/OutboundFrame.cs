using Wirehub.Realtime.Protocol;
using Wirehub.WebSockets;

namespace Wirehub.Realtime.Server.Transports;

/// <summary>
/// A frame waiting to go down an emulated transport: a shared push held by reference (no copy per subscriber), or a
/// pooled frame of this session that <see cref="Release"/> returns to the pool.
/// </summary>
internal readonly struct OutboundFrame
{
    private readonly PreparedMessage? _shared;
    private readonly PooledFrame _own;

    public OutboundFrame(PreparedMessage shared) => _shared = shared;

    public OutboundFrame(PooledFrame own) => _own = own;

    /// <summary>The frame's JSON text.</summary>
    public ReadOnlySpan<byte> Span => _shared is not null ? _shared.Payload.Span : _own.Memory.Span;

    public int Length => _shared is not null ? _shared.Payload.Length : _own.Memory.Length;

    public void Release()
    {
        if (_shared is null) _own.Dispose();
    }
}
