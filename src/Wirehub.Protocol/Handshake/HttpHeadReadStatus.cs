namespace Wirehub.Protocol;

/// <summary>The outcome of <see cref="HttpResponseHead.TryRead"/> and <see cref="HttpRequestHead.TryRead"/>.</summary>
public enum HttpHeadReadStatus
{
    /// <summary>The head was read up to and including its terminating empty line.</summary>
    Complete,

    /// <summary>The input holds a valid beginning of a head but not its end; read more bytes and try again.</summary>
    NeedMoreData,

    /// <summary>The head does not end within the allowed number of bytes; give up on the connection.</summary>
    TooLarge,

    /// <summary>The input is not a well-formed HTTP/1.1 head; give up on the connection.</summary>
    Malformed,
}
