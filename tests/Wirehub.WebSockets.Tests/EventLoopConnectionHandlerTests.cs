using Microsoft.Extensions.DependencyInjection;

namespace Wirehub.WebSockets.Tests;

/// <summary>Every connection-level handshake and refusal test, run again over the event-loop transport.</summary>
public sealed class EventLoopConnectionHandlerTests : ConnectionHandlerTests
{
    protected override void ConfigureServices(IServiceCollection services) => services.AddEventLoopTransport();
}
