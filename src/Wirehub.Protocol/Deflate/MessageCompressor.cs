using System.Buffers;

namespace Wirehub.Protocol;

/// <summary>
/// The sending direction of permessage-deflate: compresses message payloads (RFC 7692 §7.2.1). With context takeover
/// it owns a deflater, created at the first message; without, it borrows one from a shared pool for each message.
/// </summary>
internal sealed class MessageCompressor : IDisposable
{
    private const int MinimumChunk = 64;
    private const int MaximumChunk = 16 * 1024;

    private readonly ZLibDeflaterSettings _settings;
    private readonly ZLibStreamPool<ZLibDeflater>? _pool;
    private ZLibDeflater? _deflater;
    private ExclusiveUseGate _gate;

    public MessageCompressor(ZLibDeflaterSettings settings, bool noContextTakeover)
    {
        _settings = settings;
        _pool = noContextTakeover ? ZLibStreamPools.DeflatersFor(settings) : null;
    }

    /// <summary>Whether this direction currently holds zlib memory.</summary>
    internal bool HoldsZLibStream => Volatile.Read(ref _deflater) is not null;

    /// <summary>Compresses one fragment; see <see cref="PerMessageDeflate.Compress"/>.</summary>
    public void Compress(ReadOnlySpan<byte> payload, bool endOfMessage, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _gate.Enter(nameof(Compress));
        try
        {
            ZLibDeflater deflater = _deflater ??= _pool?.Rent() ?? new ZLibDeflater(_settings);
            Write(deflater, payload, endOfMessage, output);
            if (endOfMessage && _pool is not null)
            {
                // No context takeover: the next message starts from an empty window (RFC 7692 §7.1.1), which the
                // pool's reset provides.
                _deflater = null;
                _pool.Return(deflater);
            }
        }
        catch
        {
            // After a failure the stream's state is unknown: never reuse it.
            _deflater?.Dispose();
            _deflater = null;
            throw;
        }
        finally
        {
            if (_gate.Exit())
            {
                Release();
            }
        }
    }

    public void Dispose()
    {
        if (_gate.TryClaimForDispose())
        {
            Release();
        }
    }

    private static void Write(ZLibDeflater deflater, ReadOnlySpan<byte> payload, bool endOfMessage,
        IBufferWriter<byte> output)
    {
        // The last four bytes produced stay here rather than in output until it is known whether they are the
        // 00 00 FF FF that ends the message, which the sender removes (RFC 7692 §7.2.1).
        Span<byte> held = stackalloc byte[4];
        int heldCount = 0;
        bool producedAny = false;
        while (true)
        {
            int chunk = Math.Clamp(payload.Length + MinimumChunk, MinimumChunk, MaximumChunk);
            Span<byte> buffer = output.GetSpan(heldCount + chunk);
            held[..heldCount].CopyTo(buffer);
            Span<byte> room = buffer[heldCount..];
            bool progressed = deflater.SyncFlush(payload, room, out int consumed, out int written);
            payload = payload[consumed..];
            producedAny |= written > 0;

            int total = heldCount + written;
            heldCount = Math.Min(4, total);
            buffer.Slice(total - heldCount, heldCount).CopyTo(held);
            output.Advance(total - heldCount);

            // Done once all input is in and zlib stopped with space left: the flush is complete.
            if (!progressed || (payload.IsEmpty && written < room.Length))
            {
                break;
            }
        }

        if (!producedAny)
        {
            // zlib writes nothing when asked to flush an already flushed stream again without new input, as for an
            // empty final fragment. A lone 00, completed by the receiver's 00 00 FF FF, is an empty stored block
            // (RFC 7692 §7.2.3.6).
            if (endOfMessage)
            {
                output.GetSpan(1)[0] = 0x00;
                output.Advance(1);
            }

            return;
        }

        if (endOfMessage)
        {
            if (heldCount != 4 || held[0] != 0x00 || held[1] != 0x00 || held[2] != 0xFF || held[3] != 0xFF)
            {
                throw new InvalidOperationException(
                    "zlib's sync flush did not end with 00 00 FF FF; the system zlib does not behave as RFC 7692 " +
                    "§7.2.1 assumes. Turn compression off.");
            }

            return;
        }

        held[..heldCount].CopyTo(output.GetSpan(heldCount));
        output.Advance(heldCount);
    }

    private void Release()
    {
        _deflater?.Dispose();
        _deflater = null;
    }
}
