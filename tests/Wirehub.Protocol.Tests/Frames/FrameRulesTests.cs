using System.Text;

namespace Wirehub.Protocol.Tests.Frames;

public class FrameRulesTests
{
    private const long Limit = 1 << 20;

    // A frame as a client sends it (masked), checked by the server that receives it.
    private static FrameError ServerReceives(Opcode opcode, bool fin = true, long length = 0, bool rsv1 = false,
        bool deflate = false, bool inMessage = false, long limit = Limit) =>
        FrameRules.Check(new FrameHeader(opcode, fin, length, rsv1, masked: true, maskKey: 0x01020304),
            WebSocketRole.Server, deflate, inMessage, limit);

    private static FrameError ClientReceives(Opcode opcode, bool fin = true, long length = 0, bool masked = false) =>
        FrameRules.Check(new FrameHeader(opcode, fin, length, masked: masked, maskKey: masked ? 7 : 0),
            WebSocketRole.Client, rsv1Allowed: false, messageInProgress: false, Limit);

    public static TheoryData<Opcode> ControlOpcodes => [Opcode.Close, Opcode.Ping, Opcode.Pong];

    public static TheoryData<Opcode> DataOpcodes => [Opcode.Text, Opcode.Binary];

    public static TheoryData<FrameError> Errors => [.. Enum.GetValues<FrameError>().Where(e => e != FrameError.None)];

    [Theory]
    [InlineData(Opcode.Text)]
    [InlineData(Opcode.Binary)]
    [InlineData(Opcode.Close)]
    [InlineData(Opcode.Ping)]
    [InlineData(Opcode.Pong)]
    public void Masked_frame_received_by_server_passes(Opcode opcode)
    {
        Assert.Equal(FrameError.None, ServerReceives(opcode));
    }

    [Theory]
    [InlineData(Opcode.Text)]
    [InlineData(Opcode.Binary)]
    [InlineData(Opcode.Close)]
    [InlineData(Opcode.Ping)]
    [InlineData(Opcode.Pong)]
    public void Unmasked_frame_received_by_client_passes(Opcode opcode)
    {
        Assert.Equal(FrameError.None, ClientReceives(opcode));
    }

    [Theory]
    [InlineData(3)] [InlineData(4)] [InlineData(5)] [InlineData(6)] [InlineData(7)]
    [InlineData(11)] [InlineData(12)] [InlineData(13)] [InlineData(14)] [InlineData(15)]
    public void Reserved_opcode_fails_with_1002(int opcode)
    {
        FrameError error = ServerReceives((Opcode)opcode);

        Assert.Equal(FrameError.ReservedOpcode, error);
        Assert.Equal(CloseStatus.ProtocolError, error.CloseCode());
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void Rsv2_or_rsv3_fails_even_with_deflate(bool rsv2, bool rsv3)
    {
        var header = new FrameHeader(Opcode.Text, fin: true, rsv1: false, rsv2, rsv3, masked: true, maskKey: 1, payloadLength: 0);

        Assert.Equal(FrameError.ReservedBitsSet, FrameRules.Check(header, WebSocketRole.Server, rsv1Allowed: true, false, Limit));
    }

    [Theory]
    [MemberData(nameof(DataOpcodes))]
    public void Rsv1_without_deflate_fails(Opcode opcode)
    {
        Assert.Equal(FrameError.UnexpectedRsv1, ServerReceives(opcode, rsv1: true, deflate: false));
    }

    [Theory]
    [MemberData(nameof(DataOpcodes))]
    public void Rsv1_on_first_data_frame_with_deflate_passes(Opcode opcode)
    {
        Assert.Equal(FrameError.None, ServerReceives(opcode, fin: false, rsv1: true, deflate: true));
    }

    [Fact]
    public void Rsv1_on_continuation_frame_fails_even_with_deflate()
    {
        Assert.Equal(FrameError.UnexpectedRsv1, ServerReceives(Opcode.Continuation, rsv1: true, deflate: true, inMessage: true));
    }

    [Theory]
    [MemberData(nameof(ControlOpcodes))]
    public void Rsv1_on_control_frame_fails_even_with_deflate(Opcode opcode)
    {
        Assert.Equal(FrameError.UnexpectedRsv1, ServerReceives(opcode, rsv1: true, deflate: true));
    }

    [Fact]
    public void Unmasked_frame_received_by_server_fails_with_1002()
    {
        var header = new FrameHeader(Opcode.Text, fin: true, payloadLength: 3);

        FrameError error = FrameRules.Check(header, WebSocketRole.Server, false, false, Limit);

        Assert.Equal(FrameError.UnmaskedClientFrame, error);
        Assert.Equal(CloseStatus.ProtocolError, error.CloseCode());
    }

    [Fact]
    public void Masked_frame_received_by_client_fails_with_1002()
    {
        FrameError error = ClientReceives(Opcode.Binary, masked: true);

        Assert.Equal(FrameError.MaskedServerFrame, error);
        Assert.Equal(CloseStatus.ProtocolError, error.CloseCode());
    }

    [Theory]
    [MemberData(nameof(ControlOpcodes))]
    public void Control_frame_of_125_bytes_passes(Opcode opcode)
    {
        Assert.Equal(FrameError.None, ServerReceives(opcode, length: 125));
    }

    [Theory]
    [MemberData(nameof(ControlOpcodes))]
    public void Control_frame_of_126_bytes_fails_with_1002(Opcode opcode)
    {
        FrameError error = ServerReceives(opcode, length: 126);

        Assert.Equal(FrameError.ControlFrameTooLong, error);
        Assert.Equal(CloseStatus.ProtocolError, error.CloseCode());
    }

    [Theory]
    [MemberData(nameof(ControlOpcodes))]
    public void Fragmented_control_frame_fails_with_1002(Opcode opcode)
    {
        FrameError error = ServerReceives(opcode, fin: false);

        Assert.Equal(FrameError.FragmentedControlFrame, error);
        Assert.Equal(CloseStatus.ProtocolError, error.CloseCode());
    }

    [Theory]
    [MemberData(nameof(ControlOpcodes))]
    public void Control_frame_between_fragments_of_a_message_passes(Opcode opcode)
    {
        Assert.Equal(FrameError.None, ServerReceives(opcode, inMessage: true));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Continuation_with_no_message_in_progress_fails_with_1002(bool fin)
    {
        FrameError error = ServerReceives(Opcode.Continuation, fin: fin, inMessage: false);

        Assert.Equal(FrameError.UnexpectedContinuation, error);
        Assert.Equal(CloseStatus.ProtocolError, error.CloseCode());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Continuation_while_a_message_is_in_progress_passes(bool fin)
    {
        Assert.Equal(FrameError.None, ServerReceives(Opcode.Continuation, fin: fin, inMessage: true));
    }

    [Theory]
    [MemberData(nameof(DataOpcodes))]
    public void New_data_frame_while_a_message_is_in_progress_fails_with_1002(Opcode opcode)
    {
        FrameError error = ServerReceives(opcode, inMessage: true);

        Assert.Equal(FrameError.ExpectedContinuation, error);
        Assert.Equal(CloseStatus.ProtocolError, error.CloseCode());
    }

    [Fact]
    public void Payload_at_the_limit_passes()
    {
        Assert.Equal(FrameError.None, ServerReceives(Opcode.Binary, length: Limit, limit: Limit));
    }

    [Theory]
    [InlineData(Opcode.Binary)]
    [InlineData(Opcode.Continuation)]
    public void Payload_above_the_limit_fails_with_1009(Opcode opcode)
    {
        FrameError error = ServerReceives(opcode, length: Limit + 1, inMessage: opcode == Opcode.Continuation, limit: Limit);

        Assert.Equal(FrameError.FrameTooBig, error);
        Assert.Equal(CloseStatus.MessageTooBig, error.CloseCode());
    }

    [Fact]
    public void Reserved_opcode_is_reported_before_other_broken_rules()
    {
        var header = new FrameHeader((Opcode)3, fin: false, rsv1: true, rsv2: true, rsv3: true, masked: false, maskKey: 0,
            payloadLength: long.MaxValue);

        Assert.Equal(FrameError.ReservedOpcode, FrameRules.Check(header, WebSocketRole.Server, false, true, 0));
    }

    [Fact]
    public void Masking_is_checked_before_control_frame_rules()
    {
        var header = new FrameHeader(Opcode.Ping, fin: false, payloadLength: 500);

        Assert.Equal(FrameError.UnmaskedClientFrame, FrameRules.Check(header, WebSocketRole.Server, false, false, Limit));
    }

    [Fact]
    public void Negative_payload_limit_is_refused()
    {
        var header = new FrameHeader(Opcode.Text, fin: true, payloadLength: 0, masked: true);

        Assert.Throws<ArgumentOutOfRangeException>(() => FrameRules.Check(header, WebSocketRole.Server, false, false, -1));
    }

    [Theory]
    [MemberData(nameof(Errors))]
    public void Every_error_but_FrameTooBig_closes_with_1002(FrameError error)
    {
        ushort expected = error == FrameError.FrameTooBig ? CloseStatus.MessageTooBig : CloseStatus.ProtocolError;

        Assert.Equal(expected, error.CloseCode());
    }

    [Theory]
    [MemberData(nameof(Errors))]
    public void Every_error_description_fits_a_close_reason_and_is_not_rebuilt(FrameError error)
    {
        string reason = error.Describe();

        Assert.InRange(Encoding.UTF8.GetByteCount(reason), 1, ClosePayload.MaxReasonBytes);
        Assert.Same(reason, error.Describe());
    }

    [Fact]
    public void Every_error_has_its_own_description()
    {
        FrameError[] errors = Enum.GetValues<FrameError>();

        Assert.Equal(errors.Length, errors.Select(e => e.Describe()).Distinct().Count());
    }
}
