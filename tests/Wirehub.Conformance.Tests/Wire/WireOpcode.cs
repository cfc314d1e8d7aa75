namespace Wirehub.Conformance.Tests.Wire;

/// <summary>
/// Opcode values as they appear on the wire (RFC 6455 §5.2). The harness keeps its own constants so that it never
/// depends on the protocol code it is testing; 3-7 and 11-15 are reserved and only ever sent on purpose.
/// </summary>
internal static class WireOpcode
{
    public const byte Continuation = 0x0;
    public const byte Text = 0x1;
    public const byte Binary = 0x2;
    public const byte Close = 0x8;
    public const byte Ping = 0x9;
    public const byte Pong = 0xA;

    /// <summary>Control frames have the high bit of the opcode set (RFC 6455 §5.5).</summary>
    public static bool IsControl(int opcode) => opcode > 7;

    public static string Name(int opcode) => opcode switch
    {
        Continuation => "CONTINUATION",
        Text => "TEXT",
        Binary => "BINARY",
        Close => "CLOSE",
        Ping => "PING",
        Pong => "PONG",
        _ => $"RESERVED({opcode})",
    };
}
