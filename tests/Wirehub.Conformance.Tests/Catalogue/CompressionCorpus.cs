using System.Text;

namespace Wirehub.Conformance.Tests.Catalogue;

/// <summary>
/// The five payload sources of section 12, in the catalogue's order. The original ships third-party files (a JSON
/// report, an HTML page, Goethe's Faust from Project Gutenberg, the Lena bitmap and a PDF); this suite generates
/// deterministic stand-ins of the same kind and size instead of carrying those files: JSON and HTML text sent as
/// text messages, German prose, an 8-bit bitmap and a PDF-like mix of text and high-entropy streams sent as binary.
/// Messages are consecutive slices of a source that wrap around at its end; text sources are sliced on code points.
/// </summary>
internal sealed class CompressionCorpus
{
    private readonly Lazy<string?> _text;
    private readonly Lazy<byte[]> _bytes;

    private CompressionCorpus(string key, string description, bool binary, Func<string>? text, Func<byte[]>? bytes)
    {
        Key = key;
        Description = description;
        Binary = binary;
        _text = new Lazy<string?>(() => text?.Invoke());
        _bytes = new Lazy<byte[]>(() => bytes?.Invoke() ?? Encoding.UTF8.GetBytes(_text.Value!));
    }

    public string Key { get; }

    public string Description { get; }

    /// <summary>Sent as binary messages; otherwise as text messages.</summary>
    public bool Binary { get; }

    public byte[] Bytes => _bytes.Value;

    public static IReadOnlyList<CompressionCorpus> All { get; } =
    [
        new("json_data1", "Large JSON data file", binary: false, JsonReport, null),
        new("lena512", "Bitmap 512x512 8-bit grey", binary: true, null, Bitmap),
        new("gutenberg_faust", "Human readable text, German verse", binary: true, null, () => [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(GermanVerse())]),
        new("html_data1", "Large HTML file", binary: false, HtmlReport, null),
        new("ooms", "A larger PDF-like document", binary: true, null, PdfLike),
    ];

    /// <summary>
    /// The next message of <paramref name="length"/> units (bytes, or code points for text) starting at
    /// <paramref name="position"/>, wrapping at the end; advances the position.
    /// </summary>
    public byte[] NextMessage(ref int position, int length)
    {
        if (Binary || _text.Value is null)
        {
            var source = Bytes;
            var message = new byte[length];
            for (int copied = 0; copied < length;)
            {
                int n = Math.Min(length - copied, source.Length - position);
                source.AsSpan(position, n).CopyTo(message.AsSpan(copied));
                copied += n;
                position = (position + n) % source.Length;
            }
            return message;
        }
        // The generated text stays in the Basic Multilingual Plane, so one char is one code point.
        var text = _text.Value;
        var builder = new StringBuilder(length);
        for (int copied = 0; copied < length;)
        {
            int n = Math.Min(length - copied, text.Length - position);
            builder.Append(text, position, n);
            copied += n;
            position = (position + n) % text.Length;
        }
        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    /// <summary>A small, fixed pseudo-random generator so the corpora are identical on every run and platform.</summary>
    private sealed class Sequence(uint seed)
    {
        private uint _state = seed;

        public uint Next()
        {
            _state ^= _state << 13;
            _state ^= _state >> 17;
            _state ^= _state << 5;
            return _state;
        }

        public int Below(int bound) => (int)(Next() % (uint)bound);

        public T Pick<T>(IReadOnlyList<T> items) => items[Below(items.Count)];
    }

    private static readonly string[] Behaviors = ["OK", "OK", "OK", "NON-STRICT", "INFORMATIONAL", "FAILED", "UNIMPLEMENTED"];

    /// <summary>Ids shaped like the catalogue's ("3.2.1"), the keys of the generated reports.</summary>
    private static IEnumerable<string> CaseIds() =>
        from section in Enumerable.Range(1, 7)
        from subsection in Enumerable.Range(1, 6)
        from number in Enumerable.Range(1, 5)
        select $"{section}.{subsection}.{number}";

    private static string JsonReport()
    {
        var random = new Sequence(0x5EED_0001);
        var json = new StringBuilder("{\n");
        string[] agents = ["AutobahnPython/0.6.0", "Wirehub/1.0", "ReferenceServer/2.1", "EchoAgent/0.9"];
        for (int a = 0; a < agents.Length; a++)
        {
            json.Append($"   \"{agents[a]}\": {{\n");
            var ids = CaseIds().ToList();
            for (int i = 0; i < ids.Count; i++)
            {
                string id = ids[i];
                json.Append($"      \"{id}\": {{\n")
                    .Append($"         \"behavior\": \"{random.Pick(Behaviors)}\",\n")
                    .Append($"         \"behaviorClose\": \"{random.Pick(Behaviors)}\",\n")
                    .Append($"         \"duration\": {random.Below(2000)},\n")
                    .Append($"         \"remoteCloseCode\": {(random.Below(4) == 0 ? "null" : "100" + random.Below(8))},\n")
                    .Append($"         \"reportfile\": \"{agents[a].ToLowerInvariant().Replace('/', '_').Replace('.', '_')}_case_{id.Replace('.', '_')}.json\"\n")
                    .Append(i == ids.Count - 1 ? "      }\n" : "      },\n");
            }
            json.Append(a == agents.Length - 1 ? "   }\n" : "   },\n");
        }
        return json.Append("}\n").ToString();
    }

    private static string HtmlReport()
    {
        var random = new Sequence(0x5EED_0002);
        var html = new StringBuilder("<!DOCTYPE html>\n<html>\n   <head>\n      <meta charset=\"utf-8\" />\n      <style lang=\"css\">\n")
            .Append("body { background-color: #F4F4F4; color: #333; font-family: Segoe UI,Tahoma,Arial,Verdana,sans-serif; }\n")
            .Append("table { border-collapse: collapse; } td.case_ok { background-color: #0a0; } td.case_failed { background-color: #900; }\n")
            .Append("      </style>\n   </head>\n   <body>\n      <h1>Conformance Report – Übersicht</h1>\n")
            .Append("      <p id=\"intro\">Résumé of the run: µ-benchmarks, straße, naïve café, ±1 ms, © the authors.</p>\n");
        string[] agents = ["Wirehub/1.0", "EchoAgent/0.9", "ReferenceServer/2.1"];
        while (html.Length < 262_000)
        {
            html.Append("      <table>\n");
            foreach (var id in CaseIds())
            {
                html.Append($"         <tr><td class=\"case_id\"><a href=\"#case_{id.Replace('.', '_')}\">Case {id}</a></td>");
                foreach (var agent in agents)
                {
                    string behavior = random.Pick(Behaviors);
                    html.Append($"<td class=\"case_{(behavior == "OK" ? "ok" : "failed")}\" title=\"{agent}\">{behavior}&nbsp;{random.Below(900)}&nbsp;ms</td>");
                }
                html.Append("</tr>\n");
                if (html.Length >= 262_000) break;
            }
            html.Append("      </table>\n");
        }
        return html.Append("   </body>\n</html>\n").ToString();
    }

    private static string GermanVerse()
    {
        var random = new Sequence(0x5EED_0003);
        string[] words =
        [
            "Habe", "nun", "ach", "Philosophie", "Juristerei", "und", "Medizin", "leider", "auch", "Theologie", "durchaus", "studiert",
            "mit", "heißem", "Bemühn", "da", "steh", "ich", "armer", "Tor", "bin", "so", "klug", "als", "wie", "zuvor", "heiße", "Magister",
            "Doktor", "gar", "ziehe", "schon", "an", "die", "zehen", "Jahr", "herauf", "herab", "quer", "krumm", "meine", "Schüler", "Nase",
            "sehe", "daß", "wir", "nichts", "wissen", "können", "das", "will", "mir", "schier", "Herz", "verbrennen", "Geist", "Welt",
            "Natur", "Tag", "Nacht", "Mond", "Licht", "über", "Bücher", "Staub", "Gedanken", "Öl", "Äther", "Wärme", "fühlen", "müssen",
        ];
        var text = new StringBuilder("Faust. Der Tragödie erster Teil\n\nNacht.\nIn einem hochgewölbten, engen gotischen Zimmer.\n\n");
        while (Encoding.UTF8.GetByteCount(text.ToString()) < 220_000)
        {
            int lineWords = 4 + random.Below(4);
            for (int w = 0; w < lineWords; w++)
            {
                string word = random.Pick(words);
                text.Append(w == 0 ? char.ToUpperInvariant(word[0]) + word[1..] : word).Append(w == lineWords - 1 ? "" : " ");
            }
            text.Append(random.Below(5) == 0 ? ".\n\n" : random.Below(3) == 0 ? ",\n" : "\n");
        }
        return text.ToString();
    }

    private static byte[] Bitmap()
    {
        const int side = 512, paletteSize = 256 * 4, pixelOffset = 14 + 40 + paletteSize;
        var random = new Sequence(0x5EED_0004);
        var bmp = new byte[pixelOffset + side * side];
        var span = bmp.AsSpan();
        "BM"u8.CopyTo(span);
        BitConverter.TryWriteBytes(span[2..], bmp.Length);
        BitConverter.TryWriteBytes(span[10..], pixelOffset);
        BitConverter.TryWriteBytes(span[14..], 40);
        BitConverter.TryWriteBytes(span[18..], side);
        BitConverter.TryWriteBytes(span[22..], side);
        BitConverter.TryWriteBytes(span[26..], (short)1);
        BitConverter.TryWriteBytes(span[28..], (short)8);
        BitConverter.TryWriteBytes(span[34..], side * side);
        BitConverter.TryWriteBytes(span[46..], 256);
        for (int i = 0; i < 256; i++) span.Slice(54 + i * 4, 3).Fill((byte)i);
        // A smooth picture with texture and a little noise: compresses like a photograph, not like a flat fill.
        for (int y = 0; y < side; y++)
        for (int x = 0; x < side; x++)
        {
            double value = 128 + 60 * Math.Sin(x / 37.0) * Math.Cos(y / 23.0) + 40 * Math.Sin((x + y) / 11.0) + random.Below(9) - 4;
            bmp[pixelOffset + y * side + x] = (byte)Math.Clamp(value, 0, 255);
        }
        return bmp;
    }

    private static byte[] PdfLike()
    {
        var random = new Sequence(0x5EED_0005);
        using var pdf = new MemoryStream();
        void Write(string text) => pdf.Write(Encoding.Latin1.GetBytes(text));
        Write("%PDF-1.2\n%\u00e2\u00e3\u00cf\u00d3\n");
        int obj = 1;
        while (pdf.Length < 1_040_000)
        {
            if (random.Below(3) == 0)
            {
                // A compressed stream: bytes that look random to a compressor.
                int length = 2000 + random.Below(12000);
                Write($"{obj++} 0 obj\n<< /Length {length} /Filter /FlateDecode >>\nstream\n");
                var data = new byte[length];
                for (int i = 0; i < length; i++) data[i] = (byte)random.Next();
                pdf.Write(data);
                Write("\nendstream\nendobj\n");
            }
            else
            {
                Write($"{obj++} 0 obj\n<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 {random.Below(9)} 0 R >> >> /Contents {obj} 0 R >>\nendobj\n");
                Write($"{obj++} 0 obj\n<< /Length 420 >>\nstream\nBT /F1 10 Tf 72 {700 - random.Below(600)} Td (Section {random.Below(99)}: on the conformance of message oriented protocols) Tj ET\n");
                Write($"BT /F1 10 Tf 72 {random.Below(700)} Td (Figure {random.Below(40)} shows round trip latency against payload size.) Tj ET\nendstream\nendobj\n");
            }
        }
        Write($"xref\n0 {obj}\ntrailer\n<< /Size {obj} /Root 1 0 R >>\nstartxref\n{pdf.Length}\n%%EOF\n");
        return pdf.ToArray();
    }
}
