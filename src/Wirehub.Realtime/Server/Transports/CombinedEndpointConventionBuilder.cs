using Microsoft.AspNetCore.Builder;

namespace Wirehub.Realtime.Server.Transports;

/// <summary>
/// The endpoints of one <c>MapWirehub</c> (the WebSocket and the fallback transports) as one builder, so a convention
/// such as authorization or CORS applies to every way in.
/// </summary>
internal sealed class CombinedEndpointConventionBuilder(IReadOnlyList<IEndpointConventionBuilder> builders) : IEndpointConventionBuilder
{
    public void Add(Action<EndpointBuilder> convention)
    {
        foreach (var builder in builders) builder.Add(convention);
    }

    public void Finally(Action<EndpointBuilder> finallyConvention)
    {
        foreach (var builder in builders) builder.Finally(finallyConvention);
    }
}
