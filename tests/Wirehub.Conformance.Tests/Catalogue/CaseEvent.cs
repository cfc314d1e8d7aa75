using System.Text;
using Wirehub.Conformance.Tests.Wire;

namespace Wirehub.Conformance.Tests.Catalogue;

/// <summary>
/// Something the fuzzer observed during a case, in order: a whole message, a pong, or a marker that a timed step
/// ran while the connection was still open. A case lists the sequences it expects; the observed sequence must equal
/// one of them exactly.
/// </summary>
internal sealed class CaseEvent : IEquatable<CaseEvent>
{
    private CaseEvent(string kind, byte[] payload, bool binary)
    {
        Kind = kind;
        Payload = payload;
        Binary = binary;
    }

    public string Kind { get; }

    public byte[] Payload { get; }

    public bool Binary { get; }

    public static CaseEvent Message(byte[] payload, bool binary) => new("message", payload, binary);

    public static CaseEvent Text(string text) => new("message", Encoding.UTF8.GetBytes(text), binary: false);

    public static CaseEvent Pong(byte[] payload) => new("pong", payload, binary: false);

    public static CaseEvent Pong(string text) => Pong(Encoding.UTF8.GetBytes(text));

    /// <summary>A timed step ("A", "B") found the connection still open and went ahead.</summary>
    public static CaseEvent Timeout(string tag) => new("timeout", Encoding.ASCII.GetBytes(tag), binary: false);

    public bool Equals(CaseEvent? other) =>
        other is not null && Kind == other.Kind && Binary == other.Binary && Payload.AsSpan().SequenceEqual(other.Payload);

    public override bool Equals(object? obj) => Equals(obj as CaseEvent);

    public override int GetHashCode() => HashCode.Combine(Kind, Binary, Payload.Length);

    public override string ToString() => Kind switch
    {
        "message" => $"({(Binary ? "binary" : "text")} message, {Payload.Length} bytes: {Preview(Payload)})",
        "pong" => $"(pong, {Payload.Length} bytes: {Preview(Payload)})",
        _ => $"(timeout {Encoding.ASCII.GetString(Payload)})",
    };

    /// <summary>Short printable form: UTF-8 text when it is valid and printable, hex otherwise.</summary>
    public static string Preview(ReadOnlySpan<byte> bytes, int max = 48)
    {
        var shown = bytes[..Math.Min(bytes.Length, max)];
        string more = bytes.Length > max ? "..." : "";
        if (Utf8StreamValidator.IsValid(shown))
        {
            string text = Encoding.UTF8.GetString(shown);
            if (!text.Any(char.IsControl)) return $"\"{text}\"{more}";
        }
        return "0x" + Convert.ToHexString(shown) + more;
    }
}
