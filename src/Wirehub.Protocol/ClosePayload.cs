using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace Wirehub.Protocol;

/// <summary>Reads and writes the payload of a close frame: a 2-byte status code and a UTF-8 reason (RFC 6455 §5.5.1).</summary>
public static class ClosePayload
{
    /// <summary>The longest reason in bytes: a control frame carries 125 bytes, 2 of which are the status code (§5.5).</summary>
    public const int MaxReasonBytes = 123;

    private const int CodeLength = 2;
    private const int MaxPayload = CodeLength + MaxReasonBytes;

    /// <summary>Reads and validates a received close payload.</summary>
    /// <param name="payload">The unmasked close frame payload.</param>
    /// <param name="code">
    /// The status code: <see cref="CloseStatus.NoStatusReceived"/> when <see cref="ClosePayloadStatus.Empty"/>, the code as
    /// received when <see cref="ClosePayloadStatus.InvalidCode"/> or <see cref="ClosePayloadStatus.InvalidReason"/>, 0 otherwise.
    /// </param>
    /// <param name="reason">The UTF-8 reason bytes, a slice of <paramref name="payload"/>; empty unless valid.</param>
    /// <returns>
    /// <see cref="ClosePayloadStatus.Valid"/> or <see cref="ClosePayloadStatus.Empty"/> when the payload is acceptable;
    /// otherwise the problem, whose <see cref="ClosePayloadStatusExtensions.CloseCode"/> fails the connection.
    /// </returns>
    public static ClosePayloadStatus TryRead(ReadOnlySpan<byte> payload, out ushort code, out ReadOnlySpan<byte> reason)
    {
        reason = default;
        code = 0;
        switch (payload.Length)
        {
            case 0:
                code = CloseStatus.NoStatusReceived;
                return ClosePayloadStatus.Empty;
            case 1:
                return ClosePayloadStatus.TooShort;
            case > MaxPayload:
                return ClosePayloadStatus.TooLong;
        }

        code = BinaryPrimitives.ReadUInt16BigEndian(payload);
        if (!CloseStatus.IsValidOnWire(code))
        {
            return ClosePayloadStatus.InvalidCode;
        }

        ReadOnlySpan<byte> text = payload.Slice(CodeLength);
        if (!Utf8.IsValid(text))
        {
            return ClosePayloadStatus.InvalidReason;
        }

        reason = text;
        return ClosePayloadStatus.Valid;
    }

    /// <summary>Writes a close payload: the status code in network byte order, then the reason in UTF-8.</summary>
    /// <param name="destination">Room for the payload; <see cref="GetMaxLength"/> bytes always suffice.</param>
    /// <param name="code">A status code valid on the wire (see <see cref="CloseStatus.IsValidOnWire"/>).</param>
    /// <param name="reason">
    /// The reason; it must encode to at most <see cref="MaxReasonBytes"/> UTF-8 bytes as <see cref="Encoding.UTF8"/>
    /// counts them. An unpaired surrogate is written as U+FFFD, so the payload is always valid UTF-8 (§5.5.1).
    /// </param>
    /// <returns>The bytes written.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// The code may not be sent, or the reason encodes to more than <see cref="MaxReasonBytes"/> bytes.
    /// </exception>
    /// <exception cref="ArgumentException">The destination is too small.</exception>
    public static int Write(Span<byte> destination, ushort code, ReadOnlySpan<char> reason)
    {
        if (!CloseStatus.IsValidOnWire(code))
        {
            throw new ArgumentOutOfRangeException(nameof(code), code,
                "This close code may not be sent; use 1000-1003, 1007-1014 or 3000-4999 (RFC 6455 §7.4).");
        }

        if (destination.Length < CodeLength)
        {
            throw DestinationTooSmall(destination.Length, CodeLength);
        }

        Span<byte> text = destination.Slice(CodeLength, Math.Min(destination.Length - CodeLength, MaxReasonBytes));
        OperationStatus status = Utf8.FromUtf16(reason, text, out _, out int written, replaceInvalidSequences: true);
        if (status != OperationStatus.Done)
        {
            throw ReasonDoesNotFit(destination.Length, reason);
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination, code);
        return CodeLength + written;
    }

    /// <summary>
    /// An upper bound on the bytes <see cref="Write"/> writes for this reason, never more than 125, so it can size a
    /// stack buffer.
    /// </summary>
    /// <param name="reason">The reason to be written.</param>
    /// <returns>2 plus at most 123.</returns>
    public static int GetMaxLength(ReadOnlySpan<char> reason)
    {
        // A UTF-16 char never takes more than 3 UTF-8 bytes (a surrogate pair takes 4 for 2 chars).
        int reasonBytes = Math.Min(reason.Length, MaxReasonBytes) * 3;
        return CodeLength + Math.Min(reasonBytes, MaxReasonBytes);
    }

    private static Exception ReasonDoesNotFit(int destinationLength, ReadOnlySpan<char> reason)
    {
        // Only on failure: tell whether the reason is over the limit or the buffer is merely short.
        int reasonBytes = Encoding.UTF8.GetByteCount(reason);
        if (reasonBytes > MaxReasonBytes)
        {
            return new ArgumentOutOfRangeException(nameof(reason), reasonBytes,
                $"The close reason encodes to {reasonBytes} UTF-8 bytes but at most {MaxReasonBytes} fit in a close frame "
                + "(RFC 6455 §5.5); shorten it.");
        }

        return DestinationTooSmall(destinationLength, CodeLength + reasonBytes);
    }

    private static ArgumentException DestinationTooSmall(int destinationLength, int needed) => new(
        $"The destination holds {destinationLength} bytes but the close payload needs {needed}; "
        + "size it with ClosePayload.GetMaxLength.", "destination");
}
