using System.Net;
using System.Net.Sockets;

namespace Wirehub.Cli.Bench;

/// <summary>The server under test, from a <c>ws://host:port/path</c> URL: where to connect and what to ask for.</summary>
internal sealed class BenchTarget
{
    private BenchTarget(IPEndPoint endPoint, string hostHeader, string path)
    {
        EndPoint = endPoint;
        HostHeader = hostHeader;
        Path = path;
    }

    public IPEndPoint EndPoint { get; }

    /// <summary>The Host field of the opening handshake (RFC 6455 §4.1 item 4).</summary>
    public string HostHeader { get; }

    /// <summary>The request target, e.g. "/".</summary>
    public string Path { get; }

    public override string ToString() => $"ws://{HostHeader}{Path}";

    /// <summary>Parses the URL and resolves its host once, so no connection pays for name resolution.</summary>
    public static BenchTarget Resolve(Uri url)
    {
        if (url.Scheme != "ws")
        {
            throw new ArgumentException(
                $"The benchmark speaks plain ws:// only, but the URL is {url}; point it at the server's ws:// endpoint.");
        }

        IPAddress? address = IPAddress.TryParse(url.Host, out IPAddress? literal)
            ? literal
            : Array.Find(Dns.GetHostAddresses(url.Host), a => a.AddressFamily == AddressFamily.InterNetwork);
        if (address is null)
        {
            throw new ArgumentException($"'{url.Host}' has no IPv4 address; pass an IP address such as 127.0.0.1.");
        }

        string path = string.IsNullOrEmpty(url.PathAndQuery) ? "/" : url.PathAndQuery;
        return new BenchTarget(new IPEndPoint(address, url.Port), $"{url.Host}:{url.Port}", path);
    }
}
