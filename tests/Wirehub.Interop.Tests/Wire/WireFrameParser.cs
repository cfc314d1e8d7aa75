using System.Buffers.Binary;

namespace Wirehub.Interop.Tests.Wire;

/// <summary>
/// Follows one direction of a WebSocket connection byte by byte: skips the HTTP handshake head, then splits the stream
/// into frames (RFC 6455 §5.2) as chunks arrive. An oracle written apart from the engine, so tests do not judge the
/// engine by its own parser.
/// </summary>
internal sealed class WireFrameParser
{
    private bool _inHandshake = true;
    private uint _lastFour;
    private readonly byte[] _header = new byte[14];
    private int _headerFilled;
    private int _headerNeeded = 2;
    private bool _inPayload;
    private long _payloadRemaining;
    private byte[] _control = [];
    private int _controlFilled;
    private TappedFrame? _frame;

    public void Feed(ReadOnlySpan<byte> data, Action<TappedFrame> onFrame)
    {
        while (!data.IsEmpty)
        {
            if (_inHandshake)
            {
                int i = 0;
                while (i < data.Length && _inHandshake)
                {
                    _lastFour = (_lastFour << 8) | data[i++];
                    // The head ends with an empty line (RFC 9112 §2.1).
                    if (_lastFour == 0x0D0A0D0A) _inHandshake = false;
                }
                data = data[i..];
                continue;
            }
            if (!_inPayload)
            {
                int take = Math.Min(_headerNeeded - _headerFilled, data.Length);
                data[..take].CopyTo(_header.AsSpan(_headerFilled));
                _headerFilled += take;
                data = data[take..];
                if (_headerFilled == 2)
                {
                    int length7 = _header[1] & 0x7F;
                    _headerNeeded = 2 + (length7 == 126 ? 2 : length7 == 127 ? 8 : 0) + ((_header[1] & 0x80) != 0 ? 4 : 0);
                }
                if (_headerFilled < _headerNeeded) continue;
                StartPayload();
            }
            else
            {
                int take = (int)Math.Min(_payloadRemaining, data.Length);
                if (_frame!.Opcode >= 8) data[..take].CopyTo(_control.AsSpan(_controlFilled));
                _controlFilled += _frame.Opcode >= 8 ? take : 0;
                _payloadRemaining -= take;
                data = data[take..];
            }
            if (_inPayload && _payloadRemaining == 0) FinishFrame(onFrame);
        }
    }

    private void StartPayload()
    {
        int length7 = _header[1] & 0x7F;
        long length = length7 switch
        {
            126 => BinaryPrimitives.ReadUInt16BigEndian(_header.AsSpan(2)),
            127 => (long)BinaryPrimitives.ReadUInt64BigEndian(_header.AsSpan(2)),
            _ => length7,
        };
        bool masked = (_header[1] & 0x80) != 0;
        int opcode = _header[0] & 0x0F;
        _control = opcode >= 8 ? new byte[length] : [];
        _controlFilled = 0;
        _frame = new TappedFrame(opcode, (_header[0] & 0x80) != 0, (_header[0] & 0x40) != 0, masked, length, _control);
        _payloadRemaining = length;
        _inPayload = true;
    }

    private void FinishFrame(Action<TappedFrame> onFrame)
    {
        if (_frame!.Masked && _control.Length > 0)
        {
            var key = _header.AsSpan(_headerNeeded - 4, 4);
            for (int i = 0; i < _control.Length; i++) _control[i] ^= key[i & 3];
        }
        onFrame(_frame);
        _inPayload = false;
        _headerFilled = 0;
        _headerNeeded = 2;
        _frame = null;
    }
}
