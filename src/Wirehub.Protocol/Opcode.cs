namespace Wirehub.Protocol;

/// <summary>WebSocket frame opcodes (RFC 6455 §5.2, §11.8). Values 3-7 and 11-15 are reserved.</summary>
public enum Opcode : byte
{
    /// <summary>Continues a fragmented message.</summary>
    Continuation = 0x0,
    /// <summary>A UTF-8 text message (or its first fragment).</summary>
    Text = 0x1,
    /// <summary>A binary message (or its first fragment).</summary>
    Binary = 0x2,
    /// <summary>Starts or answers the closing handshake.</summary>
    Close = 0x8,
    /// <summary>Asks the peer for a pong.</summary>
    Ping = 0x9,
    /// <summary>Answers a ping, or serves as a unidirectional heartbeat.</summary>
    Pong = 0xA,
}

/// <summary>Classifies opcodes.</summary>
public static class OpcodeExtensions
{
    /// <summary>Control frames have the high bit of the opcode set (RFC 6455 §5.5).</summary>
    public static bool IsControl(this Opcode opcode) => ((byte)opcode & 0x8) != 0;

    /// <summary>True for the six opcodes RFC 6455 defines; false for the reserved ones.</summary>
    public static bool IsDefined(this Opcode opcode) => opcode is Opcode.Continuation or Opcode.Text or Opcode.Binary
        or Opcode.Close or Opcode.Ping or Opcode.Pong;
}
