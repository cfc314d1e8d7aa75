using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;
using MessagePack;

namespace Wirehub.Realtime.Protocol;

/// <summary>
/// Converts one MessagePack value to JSON (PROTOCOL.md, "Binary encoding"). What JSON can carry converts: nil, bool,
/// int, float (finite), str (UTF-8), array, and map with str keys. A float is written with a fraction or an exponent,
/// so it converts back to a float, never an int. bin, ext, other keys, NaN and the infinities, invalid UTF-8 and
/// nesting deeper than <see cref="MaxDepth"/> levels are refused with error 400.
/// </summary>
internal static class MessagePackToJsonTranscoder
{
    /// <summary>The deepest nesting converted, as the JSON frame allows (the frame's own map is level 1).</summary>
    public const int MaxDepth = 64;

    /// <summary>
    /// Reads one value at nesting level <paramref name="level"/> and writes it to <paramref name="writer"/> as JSON;
    /// with no writer, only reads and checks it.
    /// </summary>
    /// <exception cref="ProtocolError">The value cannot be carried in JSON; the reader is left inside it.</exception>
    public static void Transcode(ref MessagePackReader reader, Utf8JsonWriter? writer, int level)
    {
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Nil:
                reader.ReadNil();
                writer?.WriteNullValue();
                break;
            case MessagePackType.Boolean:
                bool truth = reader.ReadBoolean();
                writer?.WriteBooleanValue(truth);
                break;
            case MessagePackType.Integer:
                if (reader.NextCode == MessagePackCode.UInt64)
                {
                    ulong unsigned = reader.ReadUInt64();
                    writer?.WriteNumberValue(unsigned);
                }
                else
                {
                    long integer = reader.ReadInt64();
                    writer?.WriteNumberValue(integer);
                }
                break;
            case MessagePackType.Float:
                TranscodeFloat(ref reader, writer);
                break;
            case MessagePackType.String:
                TranscodeString(ref reader, writer, isKey: false);
                break;
            case MessagePackType.Array:
                int items = reader.ReadArrayHeader();
                CheckDepth(level);
                writer?.WriteStartArray();
                for (int i = 0; i < items; i++) Transcode(ref reader, writer, level + 1);
                writer?.WriteEndArray();
                break;
            case MessagePackType.Map:
                int entries = reader.ReadMapHeader();
                CheckDepth(level);
                writer?.WriteStartObject();
                for (int i = 0; i < entries; i++)
                {
                    if (reader.NextMessagePackType != MessagePackType.String)
                        throw new ProtocolError(ErrorCode.BadRequest,
                            $"A map key is a MessagePack {Describe(reader.NextMessagePackType)}: keys must be str, as JSON object keys are strings.");
                    TranscodeString(ref reader, writer, isKey: true);
                    Transcode(ref reader, writer, level + 1);
                }
                writer?.WriteEndObject();
                break;
            case MessagePackType.Binary:
                throw new ProtocolError(ErrorCode.BadRequest,
                    "MessagePack bin values cannot be carried: wirehub.v1 data is what JSON can hold. Send bytes as a base64 str.");
            case MessagePackType.Extension:
                throw new ProtocolError(ErrorCode.BadRequest,
                    "MessagePack ext values (timestamps included) cannot be carried: use nil, bool, int, float, str, array and map.");
            default:
                throw new ProtocolError(ErrorCode.BadRequest, $"Byte 0x{reader.NextCode:x2} starts no MessagePack value.");
        }
    }

    /// <summary>Reads past one value of any kind, checking only its structure and depth.</summary>
    /// <exception cref="ProtocolError">It nests deeper than <see cref="MaxDepth"/>.</exception>
    public static void Skip(ref MessagePackReader reader, int level)
    {
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Array:
                int items = reader.ReadArrayHeader();
                CheckDepth(level);
                for (int i = 0; i < items; i++) Skip(ref reader, level + 1);
                break;
            case MessagePackType.Map:
                int entries = reader.ReadMapHeader();
                CheckDepth(level);
                for (int i = 0; i < entries * 2; i++) Skip(ref reader, level + 1);
                break;
            default:
                // A scalar, bin or ext: the library skips those without recursing.
                reader.Skip();
                break;
        }
    }

    private static void CheckDepth(int level)
    {
        if (level > MaxDepth)
            throw new ProtocolError(ErrorCode.BadRequest, $"The frame nests deeper than {MaxDepth} levels of maps and arrays.");
    }

    private static void TranscodeFloat(ref MessagePackReader reader, Utf8JsonWriter? writer)
    {
        Span<byte> text = stackalloc byte[32];
        int length;
        if (reader.NextCode == MessagePackCode.Float32)
        {
            float single = reader.ReadSingle();
            if (!float.IsFinite(single)) throw NotFinite();
            // The shortest text that reads back as this float 32: 0.1f is 0.1, not 0.100000001490116.
            single.TryFormat(text, out length, "R", CultureInfo.InvariantCulture);
        }
        else
        {
            double value = reader.ReadDouble();
            if (!double.IsFinite(value)) throw NotFinite();
            value.TryFormat(text, out length, "R", CultureInfo.InvariantCulture);
        }
        if (writer is null) return;
        // 1.0 is formatted "1": a fraction keeps it a float on the way back.
        if (text[..length].IndexOfAny((byte)'.', (byte)'E') < 0)
        {
            ".0"u8.CopyTo(text[length..]);
            length += 2;
        }
        writer.WriteRawValue(text[..length], skipInputValidation: true);
    }

    private static ProtocolError NotFinite() =>
        new(ErrorCode.BadRequest, "A MessagePack float is NaN or infinite: JSON numbers are finite, so it cannot be carried.");

    private static void TranscodeString(ref MessagePackReader reader, Utf8JsonWriter? writer, bool isKey)
    {
        if (reader.TryReadStringSpan(out var span))
        {
            WriteString(span, writer, isKey);
            return;
        }
        // Split across buffer segments: gathered into one span.
        var sequence = reader.ReadStringSequence()!.Value;
        byte[]? rented = null;
        Span<byte> text = sequence.Length <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent((int)sequence.Length));
        try
        {
            sequence.CopyTo(text);
            WriteString(text[..(int)sequence.Length], writer, isKey);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static void WriteString(ReadOnlySpan<byte> utf8, Utf8JsonWriter? writer, bool isKey)
    {
        if (!Utf8.IsValid(utf8))
            throw new ProtocolError(ErrorCode.BadRequest, "A MessagePack str is not valid UTF-8: str values and keys must be UTF-8 text.");
        if (writer is null) return;
        if (isKey) writer.WritePropertyName(utf8);
        else writer.WriteStringValue(utf8);
    }

    private static string Describe(MessagePackType type) => type switch
    {
        MessagePackType.Integer => "int",
        MessagePackType.Boolean => "bool",
        MessagePackType.Float => "float",
        MessagePackType.Binary => "bin",
        MessagePackType.Extension => "ext",
        _ => type.ToString().ToLowerInvariant(),
    };
}
