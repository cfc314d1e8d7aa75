using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Wirehub.Realtime.Tests.Transports.Support;

namespace Wirehub.Realtime.Tests.Transports;

public sealed class EndpointMappingTests
{
    private sealed class Marker;

    [Fact]
    public async Task Fallback_endpoints_are_not_mapped_when_turned_off()
    {
        await using var server = await FallbackServer.StartAsync(fallback: f => f.Enabled = false);
        using var sse = await server.Http.GetAsync("/connection/sse");
        using var poll = await server.Http.PostAsync("/connection/poll", null);
        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound], [sse.StatusCode, poll.StatusCode]);
    }

    [Fact]
    public async Task Conventions_on_the_mapping_apply_to_the_websocket_and_every_fallback_endpoint()
    {
        await using var server = await FallbackServer.StartAsync(conventions: builder => builder.WithMetadata(new Marker()));
        var routes = server.Endpoints.OfType<RouteEndpoint>().Where(e => e.RoutePattern.RawText!.StartsWith("/connection")).ToList();
        Assert.Equal(8, routes.Count);
        Assert.All(routes, e => Assert.NotNull(e.Metadata.GetMetadata<Marker>()));
    }
}
