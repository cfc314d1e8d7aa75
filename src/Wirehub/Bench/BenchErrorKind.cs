namespace Wirehub.Cli.Bench;

/// <summary>What went wrong, as counted in a report's errors: each kind points at a different fault to look for.</summary>
internal enum BenchErrorKind
{
    /// <summary>The TCP connection could not be made: the server is not listening, or a descriptor limit was hit.</summary>
    Connect,

    /// <summary>The server refused the upgrade or answered it wrongly (RFC 6455 §4.2.2).</summary>
    Handshake,

    /// <summary>The server closed or reset the connection, or sent a close frame, in the middle of the run.</summary>
    Closed,

    /// <summary>The server's frames broke RFC 6455 §5.2 framing.</summary>
    Protocol,

    /// <summary>A message arrived with a different length, type or content from the one sent.</summary>
    Altered,

    /// <summary>A message never arrived, counted once per missing message after the run's drain or settle time.</summary>
    Lost,

    /// <summary>The server stopped answering for longer than the scenario waits.</summary>
    Timeout,

    /// <summary>Any other socket error.</summary>
    Socket,
}
