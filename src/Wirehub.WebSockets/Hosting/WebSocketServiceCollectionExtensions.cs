using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;

namespace Wirehub.WebSockets;

/// <summary>Service registrations for WebSocket servers.</summary>
public static class WebSocketServiceCollectionExtensions
{
    /// <summary>
    /// Gives Kestrel's socket transport a <see cref="TransportMemoryPool"/> (32 KiB blocks by default) instead of its
    /// 4 KiB blocks: fewer receive system calls and fewer segments per message under load, at no cost to idle
    /// connections. Call before building the host.
    /// </summary>
    public static IServiceCollection AddWebSocketTransportPool(this IServiceCollection services, int blockSize = 32 * 1024)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.AddSingleton<IMemoryPoolFactory<byte>>(new TransportMemoryPool(blockSize));
    }

    /// <summary>
    /// Replaces Kestrel's socket transport with Wirehub's event-loop transport (Linux only): one thread per core waits
    /// on epoll, reads ready sockets, runs their handlers inline and sends what they wrote once per round; sends from
    /// other threads go out at once on the sending thread. Several times fewer thread hand-offs per message and per
    /// handshake than the socket transport, and a smaller idle connection. Handlers must not block: code that blocks a
    /// loop thread stalls every connection of that loop. Call before building the host.
    /// </summary>
    /// <exception cref="PlatformNotSupportedException">Not on Linux.</exception>
    public static IServiceCollection AddEventLoopTransport(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!OperatingSystem.IsLinux())
            throw new PlatformNotSupportedException("The event-loop transport needs Linux (epoll); use Kestrel's socket transport elsewhere.");
        return services.AddSingleton<IConnectionListenerFactory, EventLoopTransport>();
    }
}
