namespace Wirehub.Cli;

/// <summary>What <c>wirehub echo</c> does with each message.</summary>
public enum EchoMode
{
    /// <summary>Send every message back unchanged.</summary>
    Echo,
    /// <summary>Send every text message to all connected clients, framed once.</summary>
    Broadcast,
}
