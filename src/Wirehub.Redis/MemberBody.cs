using System.Text;
using Wirehub.Realtime.Broker;

namespace Wirehub.Redis;

/// <summary>
/// A presence member as stored and carried on pub/sub: <c>clientId | connectionId | data</c>, each string prefixed by
/// its UTF-8 length as uint16 BE; <c>data</c> runs to the end (empty when the member gave none).
/// </summary>
internal static class MemberBody
{
    public static byte[] Encode(PresenceMember member)
    {
        var data = member.Data.Span;
        var bytes = new byte[2 + Encoding.UTF8.GetByteCount(member.ClientId) + 2 + Encoding.UTF8.GetByteCount(member.ConnectionId) + data.Length];
        int at = MessageBody.WriteString(bytes, member.ClientId);
        at += MessageBody.WriteString(bytes.AsSpan(at), member.ConnectionId);
        data.CopyTo(bytes.AsSpan(at));
        return bytes;
    }

    /// <summary>Decodes; the member's data is a slice of <paramref name="body"/>. Null when malformed.</summary>
    public static PresenceMember? Decode(ReadOnlyMemory<byte> body)
    {
        int at = 0;
        var span = body.Span;
        if (!MessageBody.TryReadString(span, ref at, out string? clientId) || !MessageBody.TryReadString(span, ref at, out string? connectionId))
            return null;
        return new PresenceMember(clientId!, connectionId!, body[at..]);
    }
}
