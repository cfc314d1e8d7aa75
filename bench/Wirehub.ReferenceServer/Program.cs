using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Wirehub.ReferenceServer;

// The baseline for the end-to-end benchmarks: Kestrel + System.Net.WebSockets written the way its documentation
// suggests, with the same command line as `wirehub echo` so bench/run-e2e.sh can start either the same way.
if (!ServerArguments.TryParse(args, out ServerArguments? arguments, out string? error))
{
    Console.Error.WriteLine(error);
    Console.Error.WriteLine("usage: Wirehub.ReferenceServer --port N --mode echo|broadcast");
    return 2;
}

WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    kestrel.Listen(IPAddress.Loopback, arguments.Port, listen => listen.Protocols = HttpProtocols.Http1);
});

WebApplication app = builder.Build();
app.UseWebSockets();

BroadcastHub hub = new();
app.Run(async context =>
{
    if (!context.WebSockets.IsWebSocketRequest)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        return;
    }

    using System.Net.WebSockets.WebSocket socket = await context.WebSockets.AcceptWebSocketAsync();
    if (arguments.Mode == ServerMode.Echo)
    {
        await EchoSession.RunAsync(socket, context.RequestAborted);
    }
    else
    {
        await hub.RunAsync(socket, context.RequestAborted);
    }
});

Console.WriteLine($"reference server: {arguments.Mode.ToString().ToLowerInvariant()} on ws://127.0.0.1:{arguments.Port}/");
await app.RunAsync();
return 0;
