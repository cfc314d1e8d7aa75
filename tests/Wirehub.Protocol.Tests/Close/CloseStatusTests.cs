namespace Wirehub.Protocol.Tests.Close;

public class CloseStatusTests
{
    [Theory]
    [InlineData(1000)]
    [InlineData(1001)]
    [InlineData(1002)]
    [InlineData(1003)]
    [InlineData(1007)]
    [InlineData(1008)]
    [InlineData(1009)]
    [InlineData(1010)]
    [InlineData(1011)]
    [InlineData(1012)]
    [InlineData(1013)]
    [InlineData(1014)]
    [InlineData(3000)]
    [InlineData(3999)]
    [InlineData(4000)]
    [InlineData(4999)]
    public void Code_defined_or_in_the_registered_and_private_ranges_is_valid_on_the_wire(int code)
    {
        Assert.True(CloseStatus.IsValidOnWire(code));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(999)]
    [InlineData(1004)]
    [InlineData(1005)]
    [InlineData(1006)]
    [InlineData(1015)]
    [InlineData(1016)]
    [InlineData(2000)]
    [InlineData(2999)]
    [InlineData(5000)]
    [InlineData(65535)]
    public void Code_reserved_local_only_or_out_of_range_is_not_valid_on_the_wire(int code)
    {
        Assert.False(CloseStatus.IsValidOnWire(code));
    }

    [Fact]
    public void Named_codes_have_their_registered_values()
    {
        ushort[] codes =
        [
            CloseStatus.NormalClosure, CloseStatus.GoingAway, CloseStatus.ProtocolError, CloseStatus.UnsupportedData,
            CloseStatus.NoStatusReceived, CloseStatus.AbnormalClosure, CloseStatus.InvalidPayloadData,
            CloseStatus.PolicyViolation, CloseStatus.MessageTooBig, CloseStatus.MandatoryExtension,
            CloseStatus.InternalError, CloseStatus.ServiceRestart, CloseStatus.TryAgainLater, CloseStatus.BadGateway,
        ];

        Assert.Equal([1000, 1001, 1002, 1003, 1005, 1006, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014], codes);
    }
}
