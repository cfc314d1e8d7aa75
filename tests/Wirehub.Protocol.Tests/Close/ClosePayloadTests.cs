using System.Text;

namespace Wirehub.Protocol.Tests.Close;

public class ClosePayloadTests
{
    private static ClosePayloadStatus Read(string hex) => ClosePayload.TryRead(Convert.FromHexString(hex), out _, out _);

    [Fact]
    public void Empty_payload_is_Empty_and_reports_1005()
    {
        ClosePayloadStatus status = ClosePayload.TryRead([], out ushort code, out ReadOnlySpan<byte> reason);

        Assert.Equal(ClosePayloadStatus.Empty, status);
        Assert.Equal(CloseStatus.NoStatusReceived, code);
        Assert.True(reason.IsEmpty);
    }

    [Fact]
    public void One_byte_payload_is_TooShort_and_fails_with_1002()
    {
        ClosePayloadStatus status = Read("03");

        Assert.Equal(ClosePayloadStatus.TooShort, status);
        Assert.Equal(CloseStatus.ProtocolError, status.CloseCode());
    }

    [Fact]
    public void Code_without_reason_is_Valid()
    {
        ClosePayloadStatus status = ClosePayload.TryRead([0x03, 0xE8], out ushort code, out ReadOnlySpan<byte> reason);

        Assert.Equal(ClosePayloadStatus.Valid, status);
        Assert.Equal(1000, code);
        Assert.True(reason.IsEmpty);
    }

    [Fact]
    public void Code_and_UTF8_reason_are_read()
    {
        byte[] payload = [0x0F, 0xA0, .. "bye κόσμε"u8];

        ClosePayloadStatus status = ClosePayload.TryRead(payload, out ushort code, out ReadOnlySpan<byte> reason);

        Assert.Equal(ClosePayloadStatus.Valid, status);
        Assert.Equal(4000, code);
        Assert.Equal("bye κόσμε", Encoding.UTF8.GetString(reason));
    }

    [Fact]
    public void Payload_of_125_bytes_is_Valid()
    {
        byte[] payload = [0x03, 0xE8, .. Enumerable.Repeat((byte)'x', 123)];

        Assert.Equal(ClosePayloadStatus.Valid, ClosePayload.TryRead(payload, out _, out ReadOnlySpan<byte> reason));
        Assert.Equal(123, reason.Length);
    }

    [Fact]
    public void Payload_of_126_bytes_is_TooLong_and_fails_with_1002()
    {
        byte[] payload = [0x03, 0xE8, .. Enumerable.Repeat((byte)'x', 124)];

        ClosePayloadStatus status = ClosePayload.TryRead(payload, out _, out _);

        Assert.Equal(ClosePayloadStatus.TooLong, status);
        Assert.Equal(CloseStatus.ProtocolError, status.CloseCode());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(999)]
    [InlineData(1004)]
    [InlineData(1005)]
    [InlineData(1006)]
    [InlineData(1015)]
    [InlineData(1016)]
    [InlineData(2999)]
    [InlineData(5000)]
    [InlineData(65535)]
    public void Code_not_valid_on_the_wire_is_InvalidCode_and_fails_with_1002(int wireCode)
    {
        byte[] payload = [(byte)(wireCode >> 8), (byte)wireCode, (byte)'x'];

        ClosePayloadStatus status = ClosePayload.TryRead(payload, out ushort code, out _);

        Assert.Equal(ClosePayloadStatus.InvalidCode, status);
        Assert.Equal(wireCode, code);
        Assert.Equal(CloseStatus.ProtocolError, status.CloseCode());
    }

    [Theory]
    [InlineData("03e8ff")]
    [InlineData("03e8cebae1bdb9cf83cebcceb5eda080656469746564")]
    [InlineData("03e8e282")]
    [InlineData("03e8c0af")]
    public void Reason_that_is_not_valid_UTF8_is_InvalidReason_and_fails_with_1007(string hex)
    {
        ClosePayloadStatus status = Read(hex);

        Assert.Equal(ClosePayloadStatus.InvalidReason, status);
        Assert.Equal(CloseStatus.InvalidPayloadData, status.CloseCode());
    }

    [Theory]
    [InlineData(ClosePayloadStatus.Valid)]
    [InlineData(ClosePayloadStatus.Empty)]
    public void Acceptable_status_maps_to_normal_closure(ClosePayloadStatus status)
    {
        Assert.Equal(CloseStatus.NormalClosure, status.CloseCode());
    }

    [Fact]
    public void Written_code_and_reason_read_back()
    {
        byte[] buffer = new byte[ClosePayload.GetMaxLength("going κόσμε")];

        int written = ClosePayload.Write(buffer, CloseStatus.GoingAway, "going κόσμε");

        Assert.Equal(ClosePayloadStatus.Valid, ClosePayload.TryRead(buffer.AsSpan(0, written), out ushort code, out ReadOnlySpan<byte> reason));
        Assert.Equal(CloseStatus.GoingAway, code);
        Assert.Equal("going κόσμε", Encoding.UTF8.GetString(reason));
        Assert.Equal(2 + Encoding.UTF8.GetByteCount("going κόσμε"), written);
    }

    [Fact]
    public void Code_is_written_in_network_byte_order()
    {
        byte[] buffer = new byte[2];

        Assert.Equal(2, ClosePayload.Write(buffer, 4001, ""));
        Assert.Equal([0x0F, 0xA1], buffer);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1005)]
    [InlineData(1006)]
    [InlineData(1015)]
    [InlineData(2999)]
    [InlineData(5000)]
    public void Writing_a_code_not_valid_on_the_wire_throws(int code)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ClosePayload.Write(new byte[125], (ushort)code, "x"));

        Assert.Contains("3000-4999", error.Message);
    }

    [Fact]
    public void Reason_of_123_UTF8_bytes_is_written()
    {
        string reason = new('€', 41);
        byte[] buffer = new byte[125];

        Assert.Equal(125, ClosePayload.Write(buffer, CloseStatus.NormalClosure, reason));
    }

    [Theory]
    [InlineData(124, 'x')]
    [InlineData(42, '€')]
    public void Reason_over_123_UTF8_bytes_throws_saying_the_limit(int count, char character)
    {
        string reason = new(character, count);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ClosePayload.Write(new byte[1000], CloseStatus.NormalClosure, reason));
        Assert.Contains("123", error.Message);
    }

    [Fact]
    public void Unpaired_surrogate_in_the_reason_is_written_as_a_replacement_character()
    {
        byte[] buffer = new byte[125];

        int written = ClosePayload.Write(buffer, CloseStatus.NormalClosure, "a\uD800b");

        Assert.Equal("03e861efbfbd62", Convert.ToHexString(buffer, 0, written).ToLowerInvariant());
    }

    [Fact]
    public void Reason_limit_counts_replacement_characters_as_Encoding_UTF8_does()
    {
        string reason = new string('x', 121) + "\uDC00";

        Assert.Equal(124, Encoding.UTF8.GetByteCount(reason));
        Assert.Throws<ArgumentOutOfRangeException>(() => ClosePayload.Write(new byte[200], CloseStatus.NormalClosure, reason));
    }

    [Fact]
    public void Destination_too_small_for_the_reason_throws()
    {
        var error = Assert.Throws<ArgumentException>(() => ClosePayload.Write(new byte[5], CloseStatus.NormalClosure, "hello"));

        Assert.IsNotType<ArgumentOutOfRangeException>(error);
        Assert.Contains("7", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("x")]
    [InlineData("κόσμε")]
    [InlineData("𝄞𝄞𝄞")]
    [InlineData("a reason that is long enough to be capped by the limit of one hundred and twenty-three bytes in a frame")]
    public void GetMaxLength_is_enough_for_Write_and_never_above_125(string reason)
    {
        int max = ClosePayload.GetMaxLength(reason);

        Assert.InRange(max, 2 + Encoding.UTF8.GetByteCount(reason), 125);
    }
}
