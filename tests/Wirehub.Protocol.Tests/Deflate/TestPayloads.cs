using System.Text;

namespace Wirehub.Protocol.Tests.Deflate;

/// <summary>Reproducible message bodies for compression tests.</summary>
internal static class TestPayloads
{
    public static byte[] Random(int length, int seed = 7692)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>A short vocabulary repeated with variation: compresses well, like chat or telemetry traffic.</summary>
    public static byte[] Repetitive(int length, int seed = 6455)
    {
        string[] words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "{", "}", ":", ","];
        var random = new Random(seed);
        var bytes = new byte[length];
        int position = 0;
        while (position < length)
        {
            byte[] word = Encoding.ASCII.GetBytes(words[random.Next(words.Length)] + " ");
            int take = Math.Min(word.Length, length - position);
            word.AsSpan(0, take).CopyTo(bytes.AsSpan(position));
            position += take;
        }

        return bytes;
    }

    /// <summary>A JSON-like chat event.</summary>
    public static byte[] JsonEvent(int index) => Encoding.UTF8.GetBytes(
        $"{{\"type\":\"message\",\"channel\":\"general\",\"id\":{index},\"user\":{{\"id\":{index % 17},\"name\":\"user{index % 17}\"}}," +
        $"\"text\":\"Event number {index} says hello to everyone in the channel\",\"ts\":{1_700_000_000 + index}}}");
}
