using System.Buffers;

namespace Wirehub.Protocol;

/// <summary>
/// The receiving direction of permessage-deflate: inflates message payloads (RFC 7692 §7.2.2). When the peer uses
/// context takeover it owns an inflater, created at the first message; otherwise it borrows one for each message.
/// </summary>
internal sealed class MessageDecompressor : IDisposable
{
    private const int Chunk = 16 * 1024;

    private readonly bool _peerNoContextTakeover;
    private ZLibInflater? _inflater;
    private bool _streamEnded;
    private ExclusiveUseGate _gate;

    public MessageDecompressor(bool peerNoContextTakeover) => _peerNoContextTakeover = peerNoContextTakeover;

    /// <summary>Whether this direction currently holds zlib memory.</summary>
    internal bool HoldsZLibStream => Volatile.Read(ref _inflater) is not null;

    private static ReadOnlySpan<byte> SyncFlushTail => [0x00, 0x00, 0xFF, 0xFF];

    /// <summary>Inflates one fragment; see <see cref="PerMessageDeflate.Decompress"/>.</summary>
    public InflateStatus Decompress(ReadOnlySpan<byte> payload, bool endOfMessage, IBufferWriter<byte> output,
        long maxOutputBytes)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfNegative(maxOutputBytes);
        _gate.Enter(nameof(Decompress));
        try
        {
            ZLibInflater inflater = _inflater ??=
                _peerNoContextTakeover ? ZLibStreamPools.Inflaters.Rent() : new ZLibInflater();
            long remaining = maxOutputBytes;
            InflateStatus status = InflateStatus.Ok;
            if (!_streamEnded)
            {
                status = Inflate(inflater, payload, output, ref remaining);
            }

            // RFC 7692 §7.2.2: the sender removed the sync flush's 00 00 FF FF; put it back.
            if (status == InflateStatus.Ok && endOfMessage && !_streamEnded)
            {
                status = Inflate(inflater, SyncFlushTail, output, ref remaining);
            }

            if (status != InflateStatus.Ok)
            {
                AbandonMessage(inflater);
            }
            else if (endOfMessage)
            {
                FinishMessage(inflater);
            }

            return status;
        }
        catch
        {
            _inflater?.Dispose();
            _inflater = null;
            _streamEnded = false;
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

    private InflateStatus Inflate(ZLibInflater inflater, ReadOnlySpan<byte> input, IBufferWriter<byte> output,
        ref long remaining)
    {
        // Output goes straight into the caller's buffer in chunks no larger than what the limit still allows, so a
        // compression bomb never makes anything allocate past the limit. At the limit, a one-byte probe tells whether
        // more output would follow.
        Span<byte> probe = stackalloc byte[1];
        while (true)
        {
            scoped Span<byte> target;
            if (remaining == 0)
            {
                target = probe;
            }
            else
            {
                target = output.GetSpan((int)Math.Min(remaining, Chunk));
                if (target.Length > remaining)
                {
                    target = target[..(int)remaining];
                }
            }

            int code = inflater.Inflate(input, target, out int consumed, out int written);
            input = input[consumed..];
            if (remaining == 0)
            {
                if (written > 0)
                {
                    return InflateStatus.TooLarge;
                }
            }
            else
            {
                output.Advance(written);
                remaining -= written;
            }

            switch (code)
            {
                case ZLib.StreamEnd:
                    // A block with BFINAL set ended the stream (RFC 7692 §7.2.3.4); what follows in this message,
                    // such as padding and the restored 00 00 FF FF, lies outside it.
                    _streamEnded = true;
                    return InflateStatus.Ok;
                case ZLib.DataError:
                    return InflateStatus.InvalidData;
                case ZLib.BufferError:
                    return InflateStatus.Ok; // input used up and nothing pending
            }

            if (input.IsEmpty && written < target.Length)
            {
                return InflateStatus.Ok;
            }
        }
    }

    private void FinishMessage(ZLibInflater inflater)
    {
        bool streamEnded = _streamEnded;
        _streamEnded = false;
        if (_peerNoContextTakeover)
        {
            _inflater = null;
            ZLibStreamPools.Inflaters.Return(inflater);
        }
        else if (streamEnded)
        {
            inflater.RestartKeepingWindow();
        }
    }

    // After TooLarge or InvalidData the stream stopped mid-block. The connection is expected to fail; resetting keeps
    // a later call from reading the leftovers.
    private void AbandonMessage(ZLibInflater inflater)
    {
        _streamEnded = false;
        if (_peerNoContextTakeover)
        {
            _inflater = null;
            ZLibStreamPools.Inflaters.Return(inflater);
        }
        else
        {
            inflater.Reset();
        }
    }

    private void Release()
    {
        _inflater?.Dispose();
        _inflater = null;
    }
}
