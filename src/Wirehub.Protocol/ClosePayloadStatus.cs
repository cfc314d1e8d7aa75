namespace Wirehub.Protocol;

/// <summary>The outcome of reading a close frame's payload (RFC 6455 §5.5.1, §7.4).</summary>
public enum ClosePayloadStatus
{
    /// <summary>A valid status code, optionally followed by a valid UTF-8 reason.</summary>
    Valid,

    /// <summary>No payload at all: valid, and the status is reported as <see cref="CloseStatus.NoStatusReceived"/> (§7.1.5).</summary>
    Empty,

    /// <summary>A single byte: too short to hold a status code. Fail with 1002.</summary>
    TooShort,

    /// <summary>More than 125 bytes, the most a control frame may carry (§5.5). Fail with 1002.</summary>
    TooLong,

    /// <summary>A status code that may not appear on the wire (see <see cref="CloseStatus.IsValidOnWire"/>). Fail with 1002.</summary>
    InvalidCode,

    /// <summary>The reason is not valid UTF-8 (§5.5.1, §8.1). Fail with 1007.</summary>
    InvalidReason,
}
