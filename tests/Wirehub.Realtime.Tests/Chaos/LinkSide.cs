namespace Wirehub.Realtime.Tests.Chaos;

/// <summary>Which side of a relayed connection ended it first.</summary>
internal enum LinkSide
{
    /// <summary>The link is still open.</summary>
    None,

    /// <summary>The client closed or reset its leg.</summary>
    Client,

    /// <summary>The server closed or reset its leg.</summary>
    Server,

    /// <summary>The proxy reset both legs (an injected fault).</summary>
    Proxy,
}
