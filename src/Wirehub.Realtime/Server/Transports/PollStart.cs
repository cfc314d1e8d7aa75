namespace Wirehub.Realtime.Server.Transports;

/// <summary>Whether a GET may poll a long-polling session.</summary>
internal enum PollStart
{
    /// <summary>The GET holds the session until it answers.</summary>
    Started,

    /// <summary>Another GET holds it: 409.</summary>
    Busy,

    /// <summary>The session has ended: 404.</summary>
    Gone,
}
