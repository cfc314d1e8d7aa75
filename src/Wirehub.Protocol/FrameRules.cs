namespace Wirehub.Protocol;

/// <summary>Checks received frame headers against RFC 6455 §5.1-§5.5 and RFC 7692 §6.</summary>
public static class FrameRules
{
    /// <summary>The largest payload a control frame may carry (RFC 6455 §5.5).</summary>
    public const int MaxControlPayload = 125;

    /// <summary>
    /// Validates one received header. Rules are checked in this order and the first one broken is returned: opcode,
    /// RSV2/RSV3, RSV1, masking, control frame rules, fragmentation order, payload limit.
    /// </summary>
    /// <param name="header">The header as read from the wire.</param>
    /// <param name="receiver">
    /// The role of the side that received the frame: a server requires masked frames, a client refuses them (§5.1).
    /// </param>
    /// <param name="rsv1Allowed">
    /// True when permessage-deflate was negotiated; RSV1 is then allowed on the first frame of a data message only,
    /// never on control or continuation frames (RFC 7692 §6).
    /// </param>
    /// <param name="messageInProgress">True between a non-final data frame and its final continuation frame.</param>
    /// <param name="maxFramePayload">The largest payload accepted in one frame; larger ones give <see cref="FrameError.FrameTooBig"/>.</param>
    /// <returns>The first rule broken, or <see cref="FrameError.None"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxFramePayload"/> is negative.</exception>
    public static FrameError Check(in FrameHeader header, WebSocketRole receiver, bool rsv1Allowed, bool messageInProgress,
        long maxFramePayload)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxFramePayload);

        Opcode opcode = header.Opcode;
        if (!opcode.IsDefined())
        {
            return FrameError.ReservedOpcode;
        }

        // §5.2: a nonzero RSV bit with no extension defining it fails the connection. Only RSV1 has a meaning here.
        if (header.Rsv2 || header.Rsv3)
        {
            return FrameError.ReservedBitsSet;
        }

        bool control = opcode.IsControl();
        if (header.Rsv1 && (!rsv1Allowed || control || opcode == Opcode.Continuation))
        {
            return FrameError.UnexpectedRsv1;
        }

        // §5.1: clients mask every frame, servers mask none.
        if (receiver == WebSocketRole.Server ? !header.Masked : header.Masked)
        {
            return receiver == WebSocketRole.Server ? FrameError.UnmaskedClientFrame : FrameError.MaskedServerFrame;
        }

        if (control)
        {
            // §5.5: control frames are never fragmented and carry at most 125 bytes; they may arrive mid-message (§5.4).
            if (!header.Fin)
            {
                return FrameError.FragmentedControlFrame;
            }

            if (header.PayloadLength > MaxControlPayload)
            {
                return FrameError.ControlFrameTooLong;
            }
        }
        else if (opcode == Opcode.Continuation)
        {
            if (!messageInProgress)
            {
                return FrameError.UnexpectedContinuation;
            }
        }
        else if (messageInProgress)
        {
            // §5.4: fragments of one message are not interleaved with another data message.
            return FrameError.ExpectedContinuation;
        }

        return header.PayloadLength > maxFramePayload ? FrameError.FrameTooBig : FrameError.None;
    }

    /// <summary>
    /// The close code to fail the connection with: <see cref="CloseStatus.MessageTooBig"/> (1009) for
    /// <see cref="FrameError.FrameTooBig"/>, <see cref="CloseStatus.ProtocolError"/> (1002) for every other error, and
    /// <see cref="CloseStatus.NormalClosure"/> (1000) for <see cref="FrameError.None"/>.
    /// </summary>
    /// <param name="error">The error returned by <see cref="Check"/>.</param>
    /// <returns>A close code valid on the wire.</returns>
    public static ushort CloseCode(this FrameError error) => error switch
    {
        FrameError.None => CloseStatus.NormalClosure,
        FrameError.FrameTooBig => CloseStatus.MessageTooBig,
        _ => CloseStatus.ProtocolError,
    };

    /// <summary>A short constant close reason for the error, at most 123 UTF-8 bytes (RFC 6455 §5.5). Does not allocate.</summary>
    /// <param name="error">The error returned by <see cref="Check"/>.</param>
    /// <returns>An ASCII sentence fit to send as the close reason.</returns>
    public static string Describe(this FrameError error) => error switch
    {
        FrameError.None => "No error",
        FrameError.ReservedOpcode => "Reserved opcode",
        FrameError.ReservedBitsSet => "RSV2 or RSV3 set with no extension negotiated that defines them",
        FrameError.UnexpectedRsv1 => "RSV1 set without permessage-deflate, or on a control or continuation frame",
        FrameError.UnmaskedClientFrame => "Client frames must be masked",
        FrameError.MaskedServerFrame => "Server frames must not be masked",
        FrameError.ControlFrameTooLong => "Control frame payload longer than 125 bytes",
        FrameError.FragmentedControlFrame => "Control frames must not be fragmented",
        FrameError.UnexpectedContinuation => "Continuation frame with no message in progress",
        FrameError.ExpectedContinuation => "New data frame before the previous message was finished",
        FrameError.FrameTooBig => "Frame payload exceeds the size limit",
        _ => "Frame error",
    };
}
