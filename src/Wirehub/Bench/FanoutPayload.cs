using System.Buffers.Text;
using System.Text;

namespace Wirehub.Cli.Bench;

/// <summary>
/// The publish request of the fan-out benchmark, laid out so that all it varies comes first and one stamp of the frame's
/// head updates it: <c>{"id":NNNNNNNNNN,"data":"SSSS…….","type":"publish","channel":"CH"}</c>. The id is right-aligned
/// in ten characters after JSON whitespace; the data string starts with the <see cref="BroadcastPayload"/> stamp (send
/// time and step), which the server relays untouched in each <c>message</c> push, so latency is publish to delivery.
/// </summary>
internal static class FanoutPayload
{
    private const int IdDigits = 10;
    private static readonly byte[] s_idField = "{\"id\":"u8.ToArray();
    private static readonly byte[] s_dataField = ",\"data\":\""u8.ToArray();

    /// <summary>What a push's data is found after; the server writes <c>data</c> last, as the raw JSON published.</summary>
    private static ReadOnlySpan<byte> PushDataField => "\"data\":\""u8;

    /// <summary>The leading bytes that vary per message: the id field and the stamp.</summary>
    public const int HeadLength = 6 + IdDigits + 9 + BroadcastPayload.StampLength;

    /// <summary>The least data size: the stamp.</summary>
    public const int MinimumDataSize = BroadcastPayload.StampLength;

    /// <summary>Bytes of a push needed to reach its stamp: the fields before data, with room for long ids and epochs.</summary>
    public const int PushPrefixLength = 512;

    /// <summary>A whole publish request whose data string has <paramref name="dataSize"/> characters, with a zero head.</summary>
    public static byte[] CreateTemplate(string channel, int dataSize)
    {
        byte[] tail = Encoding.ASCII.GetBytes($"\",\"type\":\"publish\",\"channel\":\"{channel}\"}}");
        byte[] payload = new byte[HeadLength + (dataSize - BroadcastPayload.StampLength) + tail.Length];
        payload.AsSpan(HeadLength).Fill((byte)'.');
        tail.CopyTo(payload.AsSpan(payload.Length - tail.Length));
        WriteHead(payload, 1, 0, 0);
        return payload;
    }

    /// <summary>Writes the head: request <paramref name="id"/> (positive), send time and step.</summary>
    public static void WriteHead(Span<byte> head, long id, long timestamp, int step)
    {
        s_idField.CopyTo(head);
        Span<byte> digits = head.Slice(s_idField.Length, IdDigits);
        digits.Fill((byte)' ');
        Utf8Formatter.TryFormat(id, digits, out int written);
        // Right-aligned: the spaces before the number are whitespace to a JSON reader.
        digits[..written].CopyTo(digits[(IdDigits - written)..]);
        digits[..(IdDigits - written)].Fill((byte)' ');
        s_dataField.CopyTo(head[(s_idField.Length + IdDigits)..]);
        BroadcastPayload.Write(head[(HeadLength - BroadcastPayload.StampLength)..], timestamp, step);
    }

    /// <summary>Reads the stamp from the first bytes of a <c>message</c> push; false when it is not one of ours.</summary>
    public static bool TryReadPush(ReadOnlySpan<byte> prefix, out long timestamp, out int step)
    {
        int data = prefix.IndexOf(PushDataField);
        if (data < 0)
        {
            timestamp = 0;
            step = 0;
            return false;
        }

        return BroadcastPayload.TryRead(prefix[(data + PushDataField.Length)..], out timestamp, out step);
    }
}
