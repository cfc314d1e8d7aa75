namespace Wirehub.Protocol;

/// <summary>A rule of RFC 6455 §5 or RFC 7692 §6 that a received frame header breaks. See <see cref="FrameRules"/>.</summary>
public enum FrameError
{
    /// <summary>The header breaks no rule.</summary>
    None,

    /// <summary>The opcode is one of the reserved values 3-7 or 11-15 (RFC 6455 §5.2).</summary>
    ReservedOpcode,

    /// <summary>RSV2 or RSV3 is set, and no negotiated extension gives them a meaning (RFC 6455 §5.2).</summary>
    ReservedBitsSet,

    /// <summary>
    /// RSV1 is set without permessage-deflate, or on a control or continuation frame (RFC 6455 §5.2, RFC 7692 §6).
    /// </summary>
    UnexpectedRsv1,

    /// <summary>A server received an unmasked frame; clients must mask every frame (RFC 6455 §5.1).</summary>
    UnmaskedClientFrame,

    /// <summary>A client received a masked frame; servers must not mask (RFC 6455 §5.1).</summary>
    MaskedServerFrame,

    /// <summary>A control frame carries more than 125 payload bytes (RFC 6455 §5.5).</summary>
    ControlFrameTooLong,

    /// <summary>A control frame has FIN clear; control frames must not be fragmented (RFC 6455 §5.5).</summary>
    FragmentedControlFrame,

    /// <summary>A continuation frame arrived with no fragmented message in progress (RFC 6455 §5.4).</summary>
    UnexpectedContinuation,

    /// <summary>A new text or binary frame arrived before the previous message's final fragment (RFC 6455 §5.4).</summary>
    ExpectedContinuation,

    /// <summary>The frame's payload is larger than the receiver's configured limit (RFC 6455 §7.4.1, close code 1009).</summary>
    FrameTooBig,
}
