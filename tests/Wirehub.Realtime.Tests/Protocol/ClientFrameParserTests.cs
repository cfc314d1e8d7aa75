using System.Text;
using Wirehub.Realtime.Protocol;

namespace Wirehub.Realtime.Tests.Protocol;

public sealed class ClientFrameParserTests
{
    private static ClientFrame Parse(string json, int maxData = 100) => ClientFrameParser.Parse(Encoding.UTF8.GetBytes(json), maxData, out _);

    private static ProtocolError Refused(string json, int maxData = 100) =>
        Assert.Throws<ProtocolError>(() => Parse(json, maxData));

    [Fact]
    public void Publish_data_is_kept_as_the_raw_json_bytes()
    {
        var frame = Parse("{\"type\":\"publish\",\"id\":6,\"channel\":\"room:lobby\",\"data\":{ \"text\" : \"hi\" },\"messageId\":\"m-1f4\"}");
        Assert.Equal(ClientFrameType.Publish, frame.Type);
        Assert.Equal("{ \"text\" : \"hi\" }", Encoding.UTF8.GetString(frame.Data!.Value.Span));
        Assert.Equal("m-1f4", frame.MessageId);
    }

    [Fact]
    public void Unknown_fields_are_ignored()
    {
        var frame = Parse("{\"type\":\"subscribe\",\"x\":{\"deep\":[1,2]},\"id\":2,\"channel\":\"a\"}");
        Assert.Equal(2, frame.Id);
    }

    [Fact]
    public void Since_position_is_read()
    {
        var frame = Parse("{\"type\":\"subscribe\",\"id\":3,\"channel\":\"a\",\"since\":{\"serial\":41,\"epoch\":\"h3k9x\"}}");
        Assert.Equal(new Wirehub.Realtime.Broker.StreamPosition(41, "h3k9x"), frame.Since);
    }

    [Fact]
    public void Recover_positions_are_read()
    {
        var frame = Parse("{\"type\":\"connect\",\"id\":1,\"recover\":{\"key\":\"rk\",\"positions\":{\"room:lobby\":{\"serial\":41,\"epoch\":\"e\"}}}}");
        Assert.Equal("rk", frame.RecoveryKey);
        Assert.Equal(41, frame.RecoverPositions!["room:lobby"].Serial);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("{\"id\":1}")]
    [InlineData("{\"type\":\"dance\",\"id\":1}")]
    [InlineData("{\"type\":\"subscribe\",\"id\":0,\"channel\":\"a\"}")]
    [InlineData("{\"type\":\"subscribe\",\"id\":\"1\",\"channel\":\"a\"}")]
    [InlineData("{\"type\":\"subscribe\",\"id\":1}")]
    [InlineData("{\"type\":\"subscribe\",\"id\":1,\"channel\":\"bad name\"}")]
    [InlineData("{\"type\":\"subscribe\",\"id\":1,\"channel\":5}")]
    [InlineData("{\"type\":\"publish\",\"id\":1,\"channel\":\"a\"}")]
    [InlineData("{\"type\":\"history\",\"id\":1,\"channel\":\"a\",\"limit\":0}")]
    [InlineData("{\"type\":\"history\",\"id\":1,\"channel\":\"a\",\"direction\":\"up\"}")]
    [InlineData("{\"type\":\"subscribe\",\"id\":1,\"channel\":\"a\",\"since\":{\"serial\":1}}")]
    public void Malformed_request_fails_with_400(string json)
    {
        Assert.Equal(400, Refused(json).Code);
    }

    [Fact]
    public void Data_larger_than_the_limit_fails_with_413()
    {
        Assert.Equal(413, Refused("{\"type\":\"publish\",\"id\":1,\"channel\":\"a\",\"data\":\"" + new string('x', 200) + "\"}").Code);
    }

    [Fact]
    public void Id_is_reported_even_when_the_request_is_refused()
    {
        long? id = null;
        try { ClientFrameParser.Parse("{\"id\":9,\"type\":\"nope\"}"u8, 100, out id); }
        catch (ProtocolError) { }
        Assert.Equal(9, id);
    }
}
