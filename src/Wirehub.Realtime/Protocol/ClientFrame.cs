using Wirehub.Realtime.Broker;

namespace Wirehub.Realtime.Protocol;

/// <summary>
/// A parsed client frame. <see cref="Data"/> is the raw JSON of the <c>data</c> field, copied out of the receive buffer
/// once so it can be stored as published.
/// </summary>
internal sealed class ClientFrame
{
    public ClientFrameType Type { get; init; }
    public long Id { get; init; }
    public string? Channel { get; init; }
    public ReadOnlyMemory<byte>? Data { get; init; }
    public string? MessageId { get; init; }
    public StreamPosition? Since { get; init; }
    public int? Rewind { get; init; }
    public int Limit { get; init; } = 100;
    public HistoryDirection Direction { get; init; }
    public string? Token { get; init; }
    public string? ClientId { get; init; }
    public string? RecoveryKey { get; init; }
    public IReadOnlyDictionary<string, StreamPosition>? RecoverPositions { get; init; }
}
