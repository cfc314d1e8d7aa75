namespace Wirehub.Protocol;

/// <summary>Maps a close payload problem to the close code that fails the connection.</summary>
public static class ClosePayloadStatusExtensions
{
    /// <summary>
    /// <see cref="CloseStatus.InvalidPayloadData"/> (1007) for <see cref="ClosePayloadStatus.InvalidReason"/>,
    /// <see cref="CloseStatus.ProtocolError"/> (1002) for the other failures, and <see cref="CloseStatus.NormalClosure"/>
    /// (1000) for <see cref="ClosePayloadStatus.Valid"/> and <see cref="ClosePayloadStatus.Empty"/>, which need no failure.
    /// </summary>
    /// <param name="status">The status returned by <see cref="ClosePayload.TryRead"/>.</param>
    /// <returns>A close code valid on the wire.</returns>
    public static ushort CloseCode(this ClosePayloadStatus status) => status switch
    {
        ClosePayloadStatus.Valid or ClosePayloadStatus.Empty => CloseStatus.NormalClosure,
        ClosePayloadStatus.InvalidReason => CloseStatus.InvalidPayloadData,
        _ => CloseStatus.ProtocolError,
    };
}
