namespace Wirehub.Realtime.Tests.Chaos;

/// <summary>The ways a chaos test breaks a client's connection.</summary>
internal enum ChaosFault
{
    /// <summary>Both TCP legs reset (linger 0): the connection dies abortively on each side.</summary>
    Reset,

    /// <summary>The server aborts its transport connection.</summary>
    ServerDrop,

    /// <summary>The client's own socket is aborted by the client.</summary>
    ClientAbort,

    /// <summary>
    /// Nothing is read from the server until well past the send-queue bound, so the server closes the connection as a
    /// slow consumer (1008); then reading resumes and the client learns why.
    /// </summary>
    Stall,

    /// <summary>The server-to-client direction is silently cut (the server believes it delivered), then the link is reset.</summary>
    CutServerToClient,
}
