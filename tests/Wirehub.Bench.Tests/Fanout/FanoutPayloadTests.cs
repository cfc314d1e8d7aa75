using System.Text;
using System.Text.Json;
using Wirehub.Cli.Bench;

namespace Wirehub.Bench.Tests.Fanout;

public class FanoutPayloadTests
{
    private static JsonElement Stamped(long id, long timestamp, int step, int dataSize = 32)
    {
        byte[] payload = FanoutPayload.CreateTemplate("bench:fanout", dataSize);
        FanoutPayload.WriteHead(payload, id, timestamp, step);
        return JsonDocument.Parse(payload).RootElement.Clone();
    }

    [Theory]
    [InlineData(1L)]
    [InlineData(4_096L)]
    [InlineData(9_999_999_999L)]
    public void Stamped_template_is_a_publish_request_with_that_id(long id)
    {
        JsonElement request = Stamped(id, 0, 0);

        Assert.Equal("publish", request.GetProperty("type").GetString());
        Assert.Equal("bench:fanout", request.GetProperty("channel").GetString());
        Assert.Equal(id, request.GetProperty("id").GetInt64());
    }

    [Theory]
    [InlineData(18)]
    [InlineData(32)]
    [InlineData(1000)]
    public void Data_is_a_string_of_the_asked_size_starting_with_the_stamp(int dataSize)
    {
        string data = Stamped(7, 123_456_789_012, 3, dataSize).GetProperty("data").GetString()!;

        Assert.Equal(dataSize, data.Length);
        Assert.True(BroadcastPayload.TryRead(Encoding.ASCII.GetBytes(data), out long timestamp, out int step));
        Assert.Equal((123_456_789_012L, 3), (timestamp, step));
    }

    [Fact]
    public void Stamp_is_read_from_a_message_push_as_the_server_writes_it()
    {
        byte[] stamp = new byte[BroadcastPayload.StampLength];
        BroadcastPayload.Write(stamp, 987_654_321, 2);
        // docs/PROTOCOL.md "message (push)": data comes last, as published.
        string push = "{\"type\":\"message\",\"channel\":\"bench:fanout\",\"serial\":45,\"epoch\":\"h3k9x\",\"id\":\"s-12\","
            + "\"time\":1764000000000,\"publisher\":{\"clientId\":\"c-7f2\",\"connectionId\":\"k-91a\"},"
            + $"\"data\":\"{Encoding.ASCII.GetString(stamp)}..............\"}}";

        Assert.True(FanoutPayload.TryReadPush(Encoding.ASCII.GetBytes(push), out long timestamp, out int step));
        Assert.Equal((987_654_321L, 2), (timestamp, step));
    }

    [Theory]
    [InlineData("{\"type\":\"message\",\"channel\":\"bench:fanout\",\"serial\":45}")]
    [InlineData("{\"type\":\"message\",\"data\":{\"text\":\"hi\"}}")]
    [InlineData("{\"type\":\"message\",\"data\":\"not a stamp at all\"}")]
    public void Push_without_a_stamped_data_string_is_not_read(string push)
    {
        Assert.False(FanoutPayload.TryReadPush(Encoding.ASCII.GetBytes(push), out _, out _));
    }
}
