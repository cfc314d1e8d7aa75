using System.Buffers;
using System.Text;
using Wirehub.Realtime.Server.Transports;

namespace Wirehub.Realtime.Tests.Transports;

public sealed class SseEventWriterTests
{
    private static string Frame(string json)
    {
        var buffer = new ArrayBufferWriter<byte>();
        SseEventWriter.WriteFrame(buffer, Encoding.UTF8.GetBytes(json));
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void Compact_frame_is_one_data_line()
    {
        Assert.Equal("data: {\"type\":\"pong\"}\n\n", Frame("{\"type\":\"pong\"}"));
    }

    [Fact]
    public void Each_line_break_starts_a_new_data_line()
    {
        Assert.Equal("data: {\"a\":\ndata: 1,\ndata: \"b\":\ndata: 2}\n\n", Frame("{\"a\":\r\n1,\r\"b\":\n2}"));
    }

    [Fact]
    public void Close_event_carries_code_and_escaped_reason()
    {
        var buffer = new ArrayBufferWriter<byte>();
        SseEventWriter.WriteClose(buffer, new TransportClose(1008, "Slow \"consumer\"\n"));
        Assert.Equal("event: close\ndata: {\"code\":1008,\"reason\":\"Slow \\u0022consumer\\u0022\\n\"}\n\n",
            Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void Open_event_carries_the_session_id()
    {
        var buffer = new ArrayBufferWriter<byte>();
        SseEventWriter.WriteOpen(buffer, "AAAAAAAAAAAAAAAAAAAAAA");
        Assert.Equal("event: open\ndata: {\"session\":\"AAAAAAAAAAAAAAAAAAAAAA\"}\n\n", Encoding.UTF8.GetString(buffer.WrittenSpan));
    }
}
