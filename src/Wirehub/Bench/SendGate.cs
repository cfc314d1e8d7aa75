namespace Wirehub.Cli.Bench;

/// <summary>
/// Tells connections whether to send new messages. It closes at the end of a run so that the messages in flight can
/// drain: once every one sent has come back, sent equals received and anything missing is truly lost.
/// </summary>
internal sealed class SendGate
{
    private volatile bool _closed;

    public bool IsOpen => !_closed;

    public void Close() => _closed = true;
}
