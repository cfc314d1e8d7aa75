namespace Wirehub.Protocol;

/// <summary>
/// What this side of a connection wants from permessage-deflate (RFC 7692): a client offers it, a server accepts offers
/// within it. Values are read when a negotiation or a <see cref="PerMessageDeflate"/> is created.
/// </summary>
public sealed class PerMessageDeflateOptions
{
    private int _serverMaxWindowBits = 15;
    private int _clientMaxWindowBits = 15;
    private int _compressionThreshold = 128;
    private int _compressionLevel = 1;
    private int _memoryLevel = 8;

    /// <summary>
    /// Whether the server compresses each message on its own, keeping no LZ77 window between messages
    /// (RFC 7692 §7.1.1.1). A client asks for it; a server imposes it on itself. With it, neither side keeps zlib
    /// memory for that direction between messages. Default <see langword="false"/>.
    /// </summary>
    public bool ServerNoContextTakeover { get; set; }

    /// <summary>
    /// Whether the client compresses each message on its own (RFC 7692 §7.1.1.2). A client declares it; a server
    /// requires it. Default <see langword="false"/>.
    /// </summary>
    public bool ClientNoContextTakeover { get; set; }

    /// <summary>
    /// Largest LZ77 window, as a base-2 logarithm, the server may compress with (RFC 7692 §7.1.2.1): 8 to 15, default
    /// 15. A client asks the server to stay within it; a server uses it as its own limit.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside 8..15.</exception>
    public int ServerMaxWindowBits
    {
        get => _serverMaxWindowBits;
        set => _serverMaxWindowBits = RequireWindowBits(value, nameof(ServerMaxWindowBits));
    }

    /// <summary>
    /// Largest LZ77 window, as a base-2 logarithm, the client may compress with (RFC 7692 §7.1.2.2): 8 to 15, default
    /// 15. A client limits itself to it; a server asks clients that support the parameter to stay within it.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside 8..15.</exception>
    public int ClientMaxWindowBits
    {
        get => _clientMaxWindowBits;
        set => _clientMaxWindowBits = RequireWindowBits(value, nameof(ClientMaxWindowBits));
    }

    /// <summary>
    /// Messages shorter than this many bytes are sent uncompressed: below it, DEFLATE framing costs more than it saves.
    /// 0 or more, default 128.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int CompressionThreshold
    {
        get => _compressionThreshold;
        set
        {
            if (value < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(CompressionThreshold), value,
                    "CompressionThreshold must be 0 or more bytes.");
            }

            _compressionThreshold = value;
        }
    }

    /// <summary>
    /// zlib compression level, 0 (store only) to 9 (smallest output). Default 1: for the short, repetitive text
    /// messages typical of WebSocket traffic it gets most of level 9's size reduction at a fraction of the CPU time,
    /// and compression runs once per sent message on the hot path.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside 0..9.</exception>
    public int CompressionLevel
    {
        get => _compressionLevel;
        set
        {
            if (value is < 0 or > 9)
            {
                throw new ArgumentOutOfRangeException(nameof(CompressionLevel), value,
                    "CompressionLevel must be between 0 (store only) and 9 (smallest output).");
            }

            _compressionLevel = value;
        }
    }

    /// <summary>
    /// zlib memLevel, 1 (least memory, slower) to 9: the size of the compressor's hash table and literal buffer.
    /// Default 8, zlib's own default.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside 1..9.</exception>
    public int MemoryLevel
    {
        get => _memoryLevel;
        set
        {
            if (value is < 1 or > 9)
            {
                throw new ArgumentOutOfRangeException(nameof(MemoryLevel), value,
                    "MemoryLevel must be between 1 and 9.");
            }

            _memoryLevel = value;
        }
    }

    internal static int RequireWindowBits(int value, string name)
    {
        if (value is < 8 or > 15)
        {
            throw new ArgumentOutOfRangeException(name, value,
                $"{name} must be between 8 and 15 (RFC 7692 §7.1.2).");
        }

        return value;
    }
}
