using System.Text;

namespace Wirehub.Protocol;

/// <summary>Writes already validated ASCII text into a byte span, front to back.</summary>
internal ref struct AsciiSpanWriter
{
    private readonly Span<byte> destination;

    public AsciiSpanWriter(Span<byte> destination)
    {
        this.destination = destination;
        Written = 0;
    }

    /// <summary>The number of bytes written so far.</summary>
    public int Written { get; private set; }

    /// <summary>Writes <paramref name="text"/>, which must be ASCII.</summary>
    public void Write(ReadOnlySpan<char> text)
    {
        var status = Ascii.FromUtf16(text, destination[Written..], out var count);
        if (status != System.Buffers.OperationStatus.Done)
        {
            throw new InvalidOperationException(
                "Only ASCII text can be written to an HTTP head, and the buffer must be sized beforehand.");
        }

        Written += count;
    }

    /// <summary>Writes "name: value" and the line end.</summary>
    public void WriteField(ReadOnlySpan<char> name, ReadOnlySpan<char> value)
    {
        Write(name);
        Write(": ");
        Write(value);
        Write("\r\n");
    }
}
