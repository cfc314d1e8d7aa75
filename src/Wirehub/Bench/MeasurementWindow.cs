namespace Wirehub.Cli.Bench;

/// <summary>Tells connection loops whether samples count yet: after the warm-up and until the measured interval ends.</summary>
internal sealed class MeasurementWindow
{
    private volatile bool _open;

    public bool IsOpen => _open;

    public void Open() => _open = true;

    public void Close() => _open = false;
}
