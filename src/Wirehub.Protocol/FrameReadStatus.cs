namespace Wirehub.Protocol;

/// <summary>The outcome of reading a frame header from received bytes.</summary>
public enum FrameReadStatus
{
    /// <summary>A whole header was read; <see cref="FrameHeader.Length"/> says how many bytes it took.</summary>
    Complete,

    /// <summary>The bytes end inside the header; read again once more bytes have arrived.</summary>
    NeedMoreData,

    /// <summary>
    /// The 64-bit payload length has its most significant bit set, which RFC 6455 §5.2 forbids;
    /// fail the connection with <see cref="CloseStatus.ProtocolError"/>.
    /// </summary>
    InvalidLength,
}
