namespace Wirehub.Realtime.Server;

/// <summary>What a token allows on the channels matching a pattern of its <c>caps</c> claim.</summary>
[Flags]
internal enum Capability
{
    None = 0,
    Subscribe = 1,
    Publish = 2,
    Presence = 4,
    History = 8,
    All = Subscribe | Publish | Presence | History,
}
