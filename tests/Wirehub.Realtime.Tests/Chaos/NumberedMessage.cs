using System.Text.Json;

namespace Wirehub.Realtime.Tests.Chaos;

/// <summary>The data the chaos publishers send: a sequence number and padding that makes each frame about 1 KiB.</summary>
internal static class NumberedMessage
{
    private static readonly string Padding = new('x', 800);

    public static object Data(int number) => new { n = number, pad = Padding };

    public static int NumberOf(JsonElement data) => data.GetProperty("n").GetInt32();
}
