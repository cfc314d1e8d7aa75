using Wirehub.Cli.Bench;

namespace Wirehub.Bench.Tests.Frames;

public class BroadcastPayloadTests
{
    [Theory]
    [InlineData(0L, 0)]
    [InlineData(123_456_789_012L, 7)]
    [InlineData(long.MaxValue, BroadcastPayload.ProbeStep)]
    public void Stamp_reads_back_its_timestamp_and_step(long timestamp, int step)
    {
        byte[] payload = BroadcastPayload.CreateTemplate(32);

        BroadcastPayload.Write(payload, timestamp, step);

        Assert.True(BroadcastPayload.TryRead(payload, out long readTimestamp, out int readStep));
        Assert.Equal((timestamp, step), (readTimestamp, readStep));
    }

    [Fact]
    public void Template_is_ascii_filler_after_the_stamp()
    {
        byte[] payload = BroadcastPayload.CreateTemplate(40);

        Assert.All(payload, b => Assert.InRange(b, (byte)0x20, (byte)0x7E));
        Assert.All(payload[BroadcastPayload.StampLength..], b => Assert.Equal((byte)'.', b));
    }

    [Theory]
    [InlineData("000000000000000G01")]
    [InlineData("00000000000000000")]
    [InlineData("0000000000000000-1")]
    public void Altered_or_short_stamp_is_not_read(string prefix)
    {
        Assert.False(BroadcastPayload.TryRead(System.Text.Encoding.ASCII.GetBytes(prefix), out _, out _));
    }
}
