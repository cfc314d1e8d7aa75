using System.IO.Pipelines;

namespace Wirehub.WebSockets.Tests.Support;

/// <summary>
/// An input that delivers bytes in exactly the pieces given: each read by the engine adds the next piece, so a test
/// controls where every read boundary falls. After the last piece the input ends, as a closed TCP connection does.
/// </summary>
internal sealed class ScriptedPipeReader : PipeReader
{
    private readonly Pipe _pipe = new(RawPeer.Unbounded);
    private readonly Queue<byte[]> _pieces;

    public ScriptedPipeReader(IEnumerable<byte[]> pieces)
    {
        _pieces = new Queue<byte[]>(pieces);
    }

    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (_pieces.TryDequeue(out var piece))
        {
            await _pipe.Writer.WriteAsync(piece, cancellationToken);
        }
        else
        {
            await _pipe.Writer.CompleteAsync();
        }
        return await _pipe.Reader.ReadAsync(cancellationToken);
    }

    public override bool TryRead(out ReadResult result) => _pipe.Reader.TryRead(out result);

    public override void AdvanceTo(SequencePosition consumed) => _pipe.Reader.AdvanceTo(consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => _pipe.Reader.AdvanceTo(consumed, examined);

    public override void CancelPendingRead() => _pipe.Reader.CancelPendingRead();

    public override void Complete(Exception? exception = null) => _pipe.Reader.Complete(exception);
}
