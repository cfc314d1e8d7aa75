using Wirehub.Conformance.Tests.Catalogue;

namespace Wirehub.Conformance.Tests.Drivers;

/// <summary>
/// A fuzzing server connection that is not a case (/getCaseCount, /updateReports): it does one thing on open and
/// then completes the closing handshake like any endpoint; nothing is judged.
/// </summary>
internal sealed class ServiceConnection(Action<ServiceConnection> onOpen) : FuzzingCase
{
    public override void OnOpen() => onOpen(this);

    public override void OnMessage(byte[] payload, bool binary)
    {
    }

    public override void OnPong(byte[] payload)
    {
    }

    public override void OnConnectionLost()
    {
    }
}
