using System.Net;
using Wirehub.Protocol;

namespace Wirehub.WebSockets;

/// <summary>The upgrade request a connection accepted by <c>ListenOptions.UseWebSocketServer</c> was opened with.</summary>
public sealed class WebSocketRequest
{
    internal WebSocketRequest(HttpRequestHead head, EndPoint? remoteEndPoint)
    {
        Head = head;
        int query = head.Target.IndexOf('?');
        Path = query < 0 ? head.Target : head.Target[..query];
        Query = query < 0 ? "" : head.Target[query..];
        RemoteEndPoint = remoteEndPoint;
    }

    /// <summary>The request path, e.g. "/chat".</summary>
    public string Path { get; }

    /// <summary>The query string including its '?', or an empty string.</summary>
    public string Query { get; }

    /// <summary>The whole request head (method, target, version, headers).</summary>
    public HttpRequestHead Head { get; }

    /// <summary>The client's address.</summary>
    public EndPoint? RemoteEndPoint { get; }
}
