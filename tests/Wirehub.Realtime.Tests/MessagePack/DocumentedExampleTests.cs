using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using Wirehub.Realtime.Broker;
using Wirehub.Realtime.Protocol;

namespace Wirehub.Realtime.Tests.MessagePack;

/// <summary>The hex example of PROTOCOL.md, "Binary encoding (wirehub.v1.msgpack)", is what the server reads and writes.</summary>
public partial class DocumentedExampleTests
{
    private static string ProtocolDocument([CallerFilePath] string thisFile = "") =>
        File.ReadAllText(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "..", "..", "docs", "PROTOCOL.md"));

    /// <summary>The code blocks of the section's example, each as the bytes its hex pairs spell (annotations skipped).</summary>
    private static byte[][] ExampleFrames()
    {
        string document = ProtocolDocument();
        int section = document.IndexOf("## Binary encoding (`wirehub.v1.msgpack`)", StringComparison.Ordinal);
        int example = document.IndexOf("### Example", section, StringComparison.Ordinal);
        int end = document.IndexOf("\n## ", example, StringComparison.Ordinal);
        return CodeBlock().Matches(document[example..end])
            .Select(block => Convert.FromHexString(string.Concat(block.Groups[1].Value.Split('\n')
                .SelectMany(line => HexPairs().Match(line).Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)))))
            .ToArray();
    }

    [GeneratedRegex(@"```\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();

    [GeneratedRegex(@"^([0-9a-f]{2}( |$))+")]
    private static partial Regex HexPairs();

    [Fact]
    public void The_example_publish_frame_is_the_publish_it_describes()
    {
        byte[] publish = ExampleFrames()[0];

        var frame = MessagePackClientFrameParser.Parse(new ReadOnlySequence<byte>(publish), 65536, out long? id);

        Assert.Equal(51, publish.Length);
        Assert.Equal((ClientFrameType.Publish, 6L, "room:lobby"), (frame.Type, id!.Value, frame.Channel));
        Assert.Equal("{\"text\":\"hi\"}", Encoding.UTF8.GetString(frame.Data!.Value.Span));
    }

    [Fact]
    public void The_example_ack_is_the_servers_ack_byte_for_byte()
    {
        byte[] documented = ExampleFrames()[1];
        var message = new ChannelMessage("room:lobby", 45, "h3k9x", "m-1f4", 1764000000000, null, "{\"text\":\"hi\"}"u8.ToArray());

        using var ack = MessagePackServerFrames.Convert(ServerFrameWriter.Ack(6, message));

        Assert.Equal(Convert.ToHexString(documented), Convert.ToHexString(ack.Memory.Span));
    }
}
