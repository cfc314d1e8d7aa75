using Wirehub.Protocol;

namespace Wirehub.Cli.Bench;

/// <summary>
/// The fan-out publisher's receiving side: counts the server's <c>ack</c> answers and records any refused publish.
/// Reading them keeps the publisher's own send queue on the server from overflowing.
/// </summary>
internal sealed class PublishAckCounter : LoopConnection
{
    private const int PrefixLength = 160;
    private readonly byte[] _receiveBuffer;
    private readonly ReceivedMessageScanner _scanner = new(PrefixLength);
    private readonly ErrorTally _errors;
    private int _carry;
    private long _acks;

    public PublishAckCounter(System.Net.Sockets.Socket socket, byte[] receiveBuffer, int initialBytes, ErrorTally errors)
        : base(socket)
    {
        _receiveBuffer = receiveBuffer;
        _carry = initialBytes;
        _errors = errors;
    }

    /// <summary>Publishes acknowledged so far; read from any thread.</summary>
    public long Acks => Volatile.Read(ref _acks);

    public override void OnReadable()
    {
        int read = Receive(_receiveBuffer.AsSpan(_carry));
        ReadOnlySpan<byte> data = _receiveBuffer.AsSpan(0, _carry + read);
        long acks = 0;
        while (_scanner.TryRead(ref data, out Opcode opcode, out _, out ReadOnlySpan<byte> prefix))
        {
            if (opcode == Opcode.Close)
            {
                throw new BenchFailure(BenchErrorKind.Closed, "The server closed the publisher's connection in the middle of the run.");
            }

            if (opcode != Opcode.Text)
            {
                continue;
            }

            if (prefix.StartsWith("{\"type\":\"ack\""u8))
            {
                acks++;
            }
            else if (prefix.StartsWith("{\"type\":\"error\""u8))
            {
                // The message is lost for every subscriber; the text says why (e.g. 429: raise the server's publish rate).
                _errors.Record(BenchErrorKind.Lost,
                    $"The server refused a publish: {System.Text.Encoding.UTF8.GetString(prefix)}; "
                    + "start the server with --publish-rate and --message-rate above the highest --rates step.");
            }
        }

        data.CopyTo(_receiveBuffer);
        _carry = data.Length;
        Volatile.Write(ref _acks, _acks + acks);
    }
}
