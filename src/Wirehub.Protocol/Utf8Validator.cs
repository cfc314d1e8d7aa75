using System.Buffers;
using System.Text.Unicode;

namespace Wirehub.Protocol;

/// <summary>
/// Validates UTF-8 (RFC 3629) incrementally, fragment by fragment, as RFC 6455 §8.1 requires for text messages.
/// Fails fast: a fragment is refused as soon as it holds a byte that makes the message invalid whatever follows,
/// including a partial sequence at its end that no continuation could complete (RFC 6455 §8.1, Autobahn case 6.4).
/// The default value is ready to use; it holds one byte of state, so it does not allocate.
/// </summary>
public struct Utf8Validator
{
    // States of the well-formed byte sequence table (Unicode Standard, Table 3-7; RFC 3629 §4).
    private const byte Accept = 0;      // between characters
    private const byte Need1 = 1;       // one more byte in 80..BF
    private const byte Need2 = 2;       // two more bytes, the next in 80..BF
    private const byte Need3 = 3;       // three more bytes, the next in 80..BF
    private const byte AfterE0 = 4;     // next in A0..BF (no overlong 3-byte forms)
    private const byte AfterED = 5;     // next in 80..9F (no surrogates U+D800..U+DFFF)
    private const byte AfterF0 = 6;     // next in 90..BF (no overlong 4-byte forms)
    private const byte AfterF4 = 7;     // next in 80..8F (nothing above U+10FFFF)
    private const byte Rejected = 8;    // invalid; stays so until Reset

    private byte _state;

    /// <summary>
    /// True when everything appended so far ends on a character boundary and is valid. Check it when the final fragment
    /// of a text message has been appended: false then means the message ends inside a character (fail with 1007).
    /// </summary>
    public readonly bool IsComplete => _state == Accept;

    /// <summary>Appends the next fragment of a message.</summary>
    /// <param name="data">The fragment's bytes, continuing where the previous fragment stopped.</param>
    /// <returns>
    /// False when the data is now invalid UTF-8 whatever follows (fail the connection with 1007); true otherwise.
    /// Once false, every later call returns false until <see cref="Reset"/>.
    /// </returns>
    public bool TryAppend(ReadOnlySpan<byte> data)
    {
        byte state = _state;
        if (state == Rejected)
        {
            return false;
        }

        // Finish the character left open by the previous fragment, byte by byte (at most 3 bytes).
        int index = 0;
        while (state != Accept)
        {
            if (index == data.Length)
            {
                _state = state;
                return true;
            }

            state = Step(state, data[index++]);
            if (state == Rejected)
            {
                _state = Rejected;
                return false;
            }
        }

        ReadOnlySpan<byte> rest = data.Slice(index);
        int completeLength = CompleteLength(rest);

        // The bulk goes through the runtime's vectorised validator; only a trailing partial character is stepped here.
        if (!Utf8.IsValid(rest.Slice(0, completeLength)))
        {
            _state = Rejected;
            return false;
        }

        foreach (byte value in rest.Slice(completeLength))
        {
            state = Step(state, value);
            if (state == Rejected)
            {
                _state = Rejected;
                return false;
            }
        }

        _state = state;
        return true;
    }

    /// <summary>Appends the next fragment of a message, segment by segment.</summary>
    /// <param name="data">The fragment's bytes, continuing where the previous fragment stopped.</param>
    /// <returns>See <see cref="TryAppend(ReadOnlySpan{byte})"/>.</returns>
    public bool TryAppend(in ReadOnlySequence<byte> data)
    {
        if (data.IsSingleSegment)
        {
            return TryAppend(data.FirstSpan);
        }

        foreach (ReadOnlyMemory<byte> segment in data)
        {
            if (!TryAppend(segment.Span))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Forgets all state, ready for a new message.</summary>
    public void Reset() => _state = Accept;

    /// <summary>Validates a whole message at once.</summary>
    /// <param name="data">The complete message.</param>
    /// <returns>True when the data is well-formed UTF-8 (RFC 3629).</returns>
    public static bool IsValid(ReadOnlySpan<byte> data) => Utf8.IsValid(data);

    // Length of the prefix that ends on a character boundary, judged from the lead byte among the last 3 bytes:
    // if that lead announces more bytes than remain, the character is cut and is stepped through separately.
    private static int CompleteLength(ReadOnlySpan<byte> data)
    {
        int length = data.Length;
        for (int fromEnd = 1; fromEnd <= 3 && fromEnd <= length; fromEnd++)
        {
            byte value = data[length - fromEnd];
            if ((value & 0xC0) == 0x80)
            {
                continue;
            }

            if (value < 0x80)
            {
                return length;
            }

            int sequenceLength = value >= 0xF0 ? 4 : value >= 0xE0 ? 3 : 2;
            return sequenceLength > fromEnd ? length - fromEnd : length;
        }

        return length;
    }

    private static byte Step(byte state, byte value) => state switch
    {
        Accept => value switch
        {
            < 0x80 => Accept,
            < 0xC2 => Rejected,         // 80..BF stray continuation; C0, C1 only start overlong forms
            < 0xE0 => Need1,
            0xE0 => AfterE0,
            0xED => AfterED,
            < 0xF0 => Need2,
            0xF0 => AfterF0,
            < 0xF4 => Need3,
            0xF4 => AfterF4,
            _ => Rejected,              // F5..FF: above U+10FFFF, or 5- and 6-byte forms RFC 3629 removed
        },
        Need1 => IsContinuation(value) ? Accept : Rejected,
        Need2 => IsContinuation(value) ? Need1 : Rejected,
        Need3 => IsContinuation(value) ? Need2 : Rejected,
        AfterE0 => value is >= 0xA0 and <= 0xBF ? Need1 : Rejected,
        AfterED => value is >= 0x80 and <= 0x9F ? Need1 : Rejected,
        AfterF0 => value is >= 0x90 and <= 0xBF ? Need2 : Rejected,
        AfterF4 => value is >= 0x80 and <= 0x8F ? Need2 : Rejected,
        _ => Rejected,
    };

    private static bool IsContinuation(byte value) => (value & 0xC0) == 0x80;
}
