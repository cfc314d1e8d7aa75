using Wirehub.Protocol;

namespace Wirehub.Cli.Bench;

/// <summary>
/// Finds whole messages in the bytes a server sends, batch by batch, without copying payloads: the generator only
/// needs each message's type, length and first few bytes (where the sender put its timestamp).
/// </summary>
/// <remarks>
/// Only a frame header ever has to be contiguous. When a payload runs past the received bytes its remaining length is
/// remembered and skipped as more bytes arrive, so a receive buffer of any size works for messages of any size, and
/// the bytes carried over between receives are fewer than <see cref="FrameHeader.MaxLength"/>.
/// </remarks>
internal sealed class ReceivedMessageScanner
{
    private readonly byte[] _framePrefix;
    private readonly byte[] _messagePrefix;

    // The frame whose payload continues past the bytes seen so far.
    private FrameHeader _frame;
    private long _frameRemaining;
    private int _framePrefixLength;

    // A fragmented data message in progress (RFC 6455 §5.4).
    private bool _inMessage;
    private Opcode _messageOpcode;
    private long _messageLength;
    private int _messagePrefixLength;

    /// <param name="prefixLength">How many leading payload bytes of each message to hand back.</param>
    public ReceivedMessageScanner(int prefixLength)
    {
        _framePrefix = new byte[prefixLength];
        _messagePrefix = new byte[prefixLength];
    }

    /// <summary>
    /// True between frames: bytes left in <c>data</c> after <see cref="TryRead"/> returned false are the start of a
    /// header and must be presented again, followed by the next bytes received.
    /// </summary>
    public bool AtFrameBoundary => _frameRemaining == 0;

    /// <summary>Forgets any frame or message in progress, for reuse on a new connection.</summary>
    public void Reset()
    {
        _frameRemaining = 0;
        _inMessage = false;
    }

    /// <summary>Reads the next whole message, or control frame, from <paramref name="data"/>.</summary>
    /// <param name="data">Received bytes; advanced past everything consumed.</param>
    /// <param name="opcode">Text or Binary for a data message (whatever its fragmentation), else the control opcode.</param>
    /// <param name="length">The payload length of the whole message.</param>
    /// <param name="prefix">
    /// The first payload bytes, up to the prefix length; for a fragmented message, those of its first frame. Valid
    /// until the next call.
    /// </param>
    /// <returns>False when <paramref name="data"/> holds no further complete message.</returns>
    /// <exception cref="BenchFailure">The server broke RFC 6455 §5.2 or §5.4 framing.</exception>
    public bool TryRead(ref ReadOnlySpan<byte> data, out Opcode opcode, out long length, out ReadOnlySpan<byte> prefix)
    {
        while (true)
        {
            FrameHeader frame;
            ReadOnlySpan<byte> framePrefix;
            if (_frameRemaining > 0)
            {
                if (!TryFinishFrame(ref data))
                {
                    break;
                }

                frame = _frame;
                framePrefix = _framePrefix.AsSpan(0, _framePrefixLength);
            }
            else
            {
                FrameReadStatus status = FrameHeader.TryRead(data, out frame);
                if (status == FrameReadStatus.NeedMoreData)
                {
                    break;
                }

                if (status != FrameReadStatus.Complete)
                {
                    throw new BenchFailure(BenchErrorKind.Protocol,
                        "The server sent a 64-bit payload length with its top bit set (RFC 6455 §5.2); its framing is broken.");
                }

                ReadOnlySpan<byte> rest = data[frame.Length..];
                if (frame.PayloadLength > rest.Length)
                {
                    _frame = frame;
                    _frameRemaining = frame.PayloadLength;
                    _framePrefixLength = 0;
                    data = rest;
                    continue;
                }

                int payloadLength = (int)frame.PayloadLength;
                framePrefix = rest[..Math.Min(payloadLength, _framePrefix.Length)];
                data = rest[payloadLength..];
            }

            if (CompleteFrame(frame, framePrefix, out opcode, out length, out prefix))
            {
                return true;
            }
        }

        opcode = default;
        length = 0;
        prefix = default;
        return false;
    }

    // Consumes payload bytes of the frame in progress; true once its last byte is in.
    private bool TryFinishFrame(ref ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return false;
        }

        int take = (int)Math.Min(_frameRemaining, data.Length);
        int wanted = (int)Math.Min(_framePrefix.Length, _frame.PayloadLength) - _framePrefixLength;
        if (wanted > 0)
        {
            int copy = Math.Min(wanted, take);
            data[..copy].CopyTo(_framePrefix.AsSpan(_framePrefixLength));
            _framePrefixLength += copy;
        }

        data = data[take..];
        _frameRemaining -= take;
        return _frameRemaining == 0;
    }

    // Turns a whole frame into a message event; false while a fragmented message still awaits its final frame.
    private bool CompleteFrame(FrameHeader frame, ReadOnlySpan<byte> framePrefix,
        out Opcode opcode, out long length, out ReadOnlySpan<byte> prefix)
    {
        opcode = frame.Opcode;
        length = frame.PayloadLength;
        prefix = framePrefix;

        // §5.5: control frames may arrive between the fragments of a message and are never fragmented themselves.
        if (opcode.IsControl() || (frame.Fin && opcode != Opcode.Continuation))
        {
            return true;
        }

        if (opcode != Opcode.Continuation)
        {
            _inMessage = true;
            _messageOpcode = opcode;
            _messageLength = frame.PayloadLength;
            framePrefix.CopyTo(_messagePrefix);
            _messagePrefixLength = framePrefix.Length;
            return false;
        }

        if (!_inMessage)
        {
            throw new BenchFailure(BenchErrorKind.Protocol,
                "The server sent a continuation frame outside a fragmented message (RFC 6455 §5.4); its framing is broken.");
        }

        _messageLength += frame.PayloadLength;
        if (!frame.Fin)
        {
            return false;
        }

        _inMessage = false;
        opcode = _messageOpcode;
        length = _messageLength;
        prefix = _messagePrefix.AsSpan(0, _messagePrefixLength);
        return true;
    }
}
