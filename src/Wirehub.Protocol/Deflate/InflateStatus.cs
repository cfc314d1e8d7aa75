namespace Wirehub.Protocol;

/// <summary>Outcome of <see cref="PerMessageDeflate.Decompress"/>.</summary>
public enum InflateStatus
{
    /// <summary>The fragment was inflated completely.</summary>
    Ok,

    /// <summary>
    /// The inflated data would exceed the caller's limit; inflation stopped at the limit. The connection should be
    /// closed with 1009 (message too big).
    /// </summary>
    TooLarge,

    /// <summary>The payload is not a valid DEFLATE stream. The connection should be closed with 1007 (invalid data).</summary>
    InvalidData,
}
