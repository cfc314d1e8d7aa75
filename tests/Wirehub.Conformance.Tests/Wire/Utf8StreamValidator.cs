namespace Wirehub.Conformance.Tests.Wire;

/// <summary>
/// Incremental UTF-8 well-formedness check (Unicode Table 3-7, as required for text messages by RFC 6455 §8.1): bytes
/// may arrive in any split, a code point may straddle chunks, and the first byte that cannot continue any
/// well-formed sequence is reported at once. The harness uses its own validator to judge what a peer echoes.
/// </summary>
internal struct Utf8StreamValidator
{
    private int _pending;   // continuation bytes still expected for the current code point
    private byte _low;      // allowed range of the next continuation byte
    private byte _high;
    private long _position; // bytes accepted so far
    private bool _failed;

    public readonly bool Failed => _failed;

    /// <summary>True when every byte so far was valid and the input ends on a code point boundary.</summary>
    public readonly bool IsComplete => !_failed && _pending == 0;

    /// <summary>Offset of the first invalid byte, counted over everything fed since the last reset.</summary>
    public readonly long Position => _position;

    public void Reset() => this = default;

    /// <summary>Feeds the next bytes; returns false (and stays failed) at the first byte that makes the input invalid.</summary>
    public bool Feed(ReadOnlySpan<byte> chunk)
    {
        if (_failed) return false;
        int i = 0;
        while (i < chunk.Length)
        {
            if (_pending == 0)
            {
                // Most payloads are ASCII; skip runs of it with a vectorised search.
                int nonAscii = chunk[i..].IndexOfAnyExceptInRange((byte)0x00, (byte)0x7F);
                if (nonAscii < 0)
                {
                    _position += chunk.Length - i;
                    return true;
                }
                i += nonAscii;
                _position += nonAscii;
                if (!Start(chunk[i])) return Fail();
            }
            else
            {
                byte b = chunk[i];
                if (b < _low || b > _high) return Fail();
                _pending--;
                _low = 0x80;
                _high = 0xBF;
            }
            i++;
            _position++;
        }
        return true;
    }

    private bool Start(byte lead)
    {
        (_pending, _low, _high) = lead switch
        {
            >= 0xC2 and <= 0xDF => (1, (byte)0x80, (byte)0xBF),
            0xE0 => (2, (byte)0xA0, (byte)0xBF),                  // no overlong 3-byte forms
            >= 0xE1 and <= 0xEC or 0xEE or 0xEF => (2, (byte)0x80, (byte)0xBF),
            0xED => (2, (byte)0x80, (byte)0x9F),                  // no UTF-16 surrogates U+D800..U+DFFF
            0xF0 => (3, (byte)0x90, (byte)0xBF),                  // no overlong 4-byte forms
            >= 0xF1 and <= 0xF3 => (3, (byte)0x80, (byte)0xBF),
            0xF4 => (3, (byte)0x80, (byte)0x8F),                  // nothing above U+10FFFF
            _ => (-1, (byte)0, (byte)0),                           // continuation bytes, C0/C1, F5..FF
        };
        return _pending > 0;
    }

    private bool Fail()
    {
        _failed = true;
        return false;
    }

    public static bool IsValid(ReadOnlySpan<byte> bytes)
    {
        var validator = new Utf8StreamValidator();
        return validator.Feed(bytes) && validator.IsComplete;
    }
}
