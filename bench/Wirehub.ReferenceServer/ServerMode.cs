namespace Wirehub.ReferenceServer;

/// <summary>What the server does with each message it receives.</summary>
internal enum ServerMode
{
    /// <summary>Sends every message back to its sender.</summary>
    Echo,

    /// <summary>Sends every text message to every connected client, the sender included.</summary>
    Broadcast,
}
