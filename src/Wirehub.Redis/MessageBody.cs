using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Wirehub.Realtime.Broker;

namespace Wirehub.Redis;

/// <summary>
/// A message as stored in its stream entry and carried on pub/sub, everything but its serial and epoch (which Redis
/// assigns): <c>time:int64 BE | id | clientId | connectionId | data</c>, each string prefixed by its UTF-8 length as
/// uint16 BE, a client id of length 0xFFFF meaning no publisher (and no connection id); <c>data</c> runs to the end.
/// </summary>
internal static class MessageBody
{
    private const ushort NoPublisher = 0xFFFF;

    /// <summary>Encodes into a pooled buffer; the caller returns <paramref name="rented"/> to the pool once Redis answered.</summary>
    public static ReadOnlyMemory<byte> Encode(long time, string id, PublisherIdentity? publisher, ReadOnlySpan<byte> data, out byte[] rented)
    {
        int length = 8 + 2 + Encoding.UTF8.GetByteCount(id) + 2 + data.Length;
        if (publisher is not null)
            length += Encoding.UTF8.GetByteCount(publisher.ClientId) + 2 + Encoding.UTF8.GetByteCount(publisher.ConnectionId);
        rented = ArrayPool<byte>.Shared.Rent(length);
        var span = rented.AsSpan(0, length);
        BinaryPrimitives.WriteInt64BigEndian(span, time);
        int at = 8;
        at += WriteString(span[at..], id);
        if (publisher is null)
        {
            BinaryPrimitives.WriteUInt16BigEndian(span[at..], NoPublisher);
            at += 2;
        }
        else
        {
            at += WriteString(span[at..], publisher.ClientId);
            at += WriteString(span[at..], publisher.ConnectionId);
        }
        data.CopyTo(span[at..]);
        return rented.AsMemory(0, length);
    }

    /// <summary>
    /// Decodes <paramref name="body"/>; the message's <c>data</c> is a slice of it, not a copy, so the caller gives up the
    /// array. Null when the body is malformed.
    /// </summary>
    public static ChannelMessage? Decode(string channel, long serial, string epoch, ReadOnlyMemory<byte> body)
    {
        var span = body.Span;
        if (span.Length < 12) return null;
        long time = BinaryPrimitives.ReadInt64BigEndian(span);
        int at = 8;
        if (!TryReadString(span, ref at, out string? id) || id is null) return null;
        if (at + 2 > span.Length) return null;
        PublisherIdentity? publisher = null;
        if (BinaryPrimitives.ReadUInt16BigEndian(span[at..]) == NoPublisher)
        {
            at += 2;
        }
        else
        {
            if (!TryReadString(span, ref at, out string? clientId) || !TryReadString(span, ref at, out string? connectionId)) return null;
            publisher = new PublisherIdentity(clientId!, connectionId!);
        }
        return new ChannelMessage(channel, serial, epoch, id, time, publisher, body[at..]);
    }

    /// <summary>The publish time of an encoded body.</summary>
    public static long TimeOf(ReadOnlySpan<byte> body) => body.Length >= 8 ? BinaryPrimitives.ReadInt64BigEndian(body) : 0;

    internal static int WriteString(Span<byte> destination, string value)
    {
        int written = Encoding.UTF8.GetBytes(value, destination[2..]);
        if (written >= NoPublisher) throw new ArgumentException($"\"{value[..16]}...\" is longer than a stored name may be (65 534 bytes).");
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)written);
        return written + 2;
    }

    internal static bool TryReadString(ReadOnlySpan<byte> span, ref int at, out string? value)
    {
        value = null;
        if (at + 2 > span.Length) return false;
        int length = BinaryPrimitives.ReadUInt16BigEndian(span[at..]);
        if (length == NoPublisher || at + 2 + length > span.Length) return false;
        value = Encoding.UTF8.GetString(span.Slice(at + 2, length));
        at += 2 + length;
        return true;
    }
}
