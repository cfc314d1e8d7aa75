namespace Wirehub.Conformance.Tests.Engine;

/// <summary>Which end the harness plays; it decides masking (RFC 6455 §5.1) and who closes TCP first (§7.1.1).</summary>
internal enum PeerRole
{
    /// <summary>The fuzzing client: masks what it sends and expects the server to close the TCP connection.</summary>
    Client,

    /// <summary>The fuzzing server: sends unmasked frames and closes TCP after the closing handshake.</summary>
    Server,
}
