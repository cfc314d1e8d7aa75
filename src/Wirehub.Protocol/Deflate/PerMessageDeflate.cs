using System.Buffers;

namespace Wirehub.Protocol;

/// <summary>
/// permessage-deflate compression state of one connection for one negotiated agreement (RFC 7692 §7.2), using the
/// system zlib. The sending side calls <see cref="Compress"/>, one call at a time; the receiving side calls
/// <see cref="Decompress"/>, one call at a time; the two sides may run concurrently with each other.
/// </summary>
/// <remarks>
/// zlib memory is taken only when first needed. A direction without context takeover borrows a zlib stream from a
/// process-wide pool for each message and returns it afterwards, so idle connections, and connections without
/// context takeover between messages, hold no zlib memory. A deflater with a 15-bit window and memory level 8 costs
/// about 256 KiB; an inflater about 40 KiB.
/// </remarks>
public sealed class PerMessageDeflate : IDisposable
{
    private readonly MessageCompressor _compressor;
    private readonly MessageDecompressor _decompressor;

    /// <summary>Creates the state for one connection.</summary>
    /// <param name="agreed">The agreement reached in the opening handshake.</param>
    /// <param name="role">This side's role: a server sends with the server_* parameters and receives with the
    /// client_* ones, a client the other way round.</param>
    /// <param name="options">This side's options; <see cref="PerMessageDeflateOptions.CompressionThreshold"/>,
    /// <see cref="PerMessageDeflateOptions.CompressionLevel"/> and <see cref="PerMessageDeflateOptions.MemoryLevel"/>
    /// are read now.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="role"/> is not a defined role.</exception>
    public PerMessageDeflate(PerMessageDeflateParameters agreed, WebSocketRole role, PerMessageDeflateOptions options)
    {
        ArgumentNullException.ThrowIfNull(agreed);
        ArgumentNullException.ThrowIfNull(options);
        if (role is not (WebSocketRole.Server or WebSocketRole.Client))
        {
            throw new ArgumentOutOfRangeException(nameof(role), role, "role must be Server or Client.");
        }

        Parameters = agreed;
        CompressionThreshold = options.CompressionThreshold;
        bool isServer = role == WebSocketRole.Server;
        int sendWindowBits = isServer ? agreed.ServerMaxWindowBits : agreed.ClientMaxWindowBits;
        bool sendNoContextTakeover = isServer ? agreed.ServerNoContextTakeover : agreed.ClientNoContextTakeover;
        bool receiveNoContextTakeover = isServer ? agreed.ClientNoContextTakeover : agreed.ServerNoContextTakeover;
        _compressor = new MessageCompressor(
            new ZLibDeflaterSettings(sendWindowBits, options.CompressionLevel, options.MemoryLevel),
            sendNoContextTakeover);
        _decompressor = new MessageDecompressor(receiveNoContextTakeover);
    }

    /// <summary>The agreement this state was created for.</summary>
    public PerMessageDeflateParameters Parameters { get; }

    /// <summary>Messages shorter than this many bytes should be sent uncompressed (RSV1 clear).</summary>
    public int CompressionThreshold { get; }

    /// <summary>Whether the sending direction holds zlib memory right now.</summary>
    internal bool HoldsDeflater => _compressor.HoldsZLibStream;

    /// <summary>Whether the receiving direction holds zlib memory right now.</summary>
    internal bool HoldsInflater => _decompressor.HoldsZLibStream;

    /// <summary>
    /// Compresses one fragment of an outgoing message; a whole message is one call with
    /// <paramref name="endOfMessage"/> set. Each call ends with a sync flush, so the fragment's bytes are complete; on
    /// the last fragment the flush's trailing 00 00 FF FF is removed (RFC 7692 §7.2.1). Uses the window size and
    /// context takeover agreed for this role's sending direction.
    /// </summary>
    /// <param name="payload">The uncompressed bytes of this fragment; may be empty.</param>
    /// <param name="endOfMessage">Whether this is the message's last fragment.</param>
    /// <param name="output">Receives the compressed bytes.</param>
    /// <exception cref="InvalidOperationException">Another <see cref="Compress"/> call is running, or zlib failed.
    /// </exception>
    /// <exception cref="ObjectDisposedException">This instance was disposed.</exception>
    public void Compress(ReadOnlySpan<byte> payload, bool endOfMessage, IBufferWriter<byte> output) =>
        _compressor.Compress(payload, endOfMessage, output);

    /// <summary>
    /// Inflates one received fragment payload (already unmasked); on the last fragment appends the 00 00 FF FF the
    /// sender removed (RFC 7692 §7.2.2). Output is produced in bounded chunks, so a compression bomb allocates nothing
    /// past <paramref name="maxOutputBytes"/>. After a result other than <see cref="InflateStatus.Ok"/> the message is
    /// abandoned and the connection should be failed.
    /// </summary>
    /// <param name="payload">The compressed bytes of this fragment.</param>
    /// <param name="endOfMessage">Whether this is the message's last fragment.</param>
    /// <param name="output">Receives the inflated bytes.</param>
    /// <param name="maxOutputBytes">The most bytes this call may write to <paramref name="output"/>; to cap a whole
    /// message, pass what is left of its budget.</param>
    /// <returns><see cref="InflateStatus.TooLarge"/> as soon as the output would exceed
    /// <paramref name="maxOutputBytes"/>; <see cref="InflateStatus.InvalidData"/> when the payload is not valid
    /// DEFLATE data.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxOutputBytes"/> is negative.</exception>
    /// <exception cref="InvalidOperationException">Another <see cref="Decompress"/> call is running.</exception>
    /// <exception cref="ObjectDisposedException">This instance was disposed.</exception>
    public InflateStatus Decompress(ReadOnlySpan<byte> payload, bool endOfMessage, IBufferWriter<byte> output,
        long maxOutputBytes) =>
        _decompressor.Decompress(payload, endOfMessage, output, maxOutputBytes);

    /// <summary>Frees the zlib memory this connection holds. A call still running frees it when it ends.</summary>
    public void Dispose()
    {
        _compressor.Dispose();
        _decompressor.Dispose();
    }
}
