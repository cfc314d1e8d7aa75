namespace Wirehub.Conformance.Tests.Engine;

/// <summary>Where a connection is in its life (RFC 6455 §4.1 OPEN, §7.1.3 CLOSING, §7.1.4 CLOSED).</summary>
internal enum PeerState
{
    Open,

    /// <summary>A Close frame was sent (started or answered); waiting for the handshake or the TCP close.</summary>
    Closing,

    Closed,
}
