namespace Wirehub.Cli.Bench;

/// <summary>Tells connection loops whether samples count yet (after the warm-up) and whether to stop.</summary>
internal sealed class MeasurementWindow
{
    private volatile bool _open;
    private volatile bool _stopping;

    public bool IsOpen => _open;

    /// <summary>True once the run is over: socket errors from here on are the generator closing its own sockets.</summary>
    public bool IsStopping => _stopping;

    public void Open() => _open = true;

    public void Close() => _open = false;

    public void Stop()
    {
        _open = false;
        _stopping = true;
    }
}
