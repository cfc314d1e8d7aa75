namespace Wirehub.Realtime.Protocol;

/// <summary>The <c>type</c> of a frame sent by a client.</summary>
internal enum ClientFrameType
{
    Connect,
    Refresh,
    Ping,
    Pong,
    Subscribe,
    Unsubscribe,
    Publish,
    History,
    PresenceEnter,
    PresenceUpdate,
    PresenceLeave,
    PresenceGet,
}
