using System.Buffers;
using System.Buffers.Text;

namespace Wirehub.Cli.Bench;

/// <summary>
/// The text message the broadcast sender sends: its send timestamp as 16 hex digits, the step it belongs to as 2 hex
/// digits, then filler up to the message size. ASCII, so it is valid UTF-8 as a text message must be (RFC 6455 §5.6).
/// </summary>
internal static class BroadcastPayload
{
    /// <summary>The bytes that vary per message, and so the prefix a receiver must see.</summary>
    public const int StampLength = 18;

    /// <summary>The step number of probe messages, sent before the steps until every client has one.</summary>
    public const int ProbeStep = 0xFF;

    /// <summary>The most steps a run can have, so that every step number stays below <see cref="ProbeStep"/>.</summary>
    public const int MaxSteps = ProbeStep;

    private static readonly StandardFormat s_timestampFormat = new('X', 16);
    private static readonly StandardFormat s_stepFormat = new('X', 2);

    /// <summary>A whole payload of <paramref name="size"/> bytes with a zero stamp.</summary>
    public static byte[] CreateTemplate(int size)
    {
        byte[] payload = new byte[size];
        payload.AsSpan().Fill((byte)'.');
        Write(payload, 0, 0);
        return payload;
    }

    /// <summary>Writes the stamp into the first <see cref="StampLength"/> bytes.</summary>
    public static void Write(Span<byte> stamp, long timestamp, int step)
    {
        Utf8Formatter.TryFormat((ulong)timestamp, stamp, out _, s_timestampFormat);
        Utf8Formatter.TryFormat((byte)step, stamp[16..], out _, s_stepFormat);
    }

    /// <summary>Reads a stamp back; false when the bytes are not one (the server altered the message).</summary>
    public static bool TryRead(ReadOnlySpan<byte> prefix, out long timestamp, out int step)
    {
        timestamp = 0;
        step = 0;
        if (prefix.Length < StampLength
            || !Utf8Parser.TryParse(prefix[..16], out ulong value, out int used, 'X') || used != 16
            || !Utf8Parser.TryParse(prefix[16..StampLength], out byte stepValue, out used, 'X') || used != 2)
        {
            return false;
        }

        timestamp = (long)value;
        step = stepValue;
        return true;
    }
}
