using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Wirehub.Realtime.Server;
using Wirehub.WebSockets;

namespace Wirehub.Cli;

/// <summary>
/// <c>wirehub serve</c>: the server with its embedded defaults: a page at /, a WebSocket echo at /echo, the realtime
/// endpoint (<c>wirehub.v1</c>) at /connection with an in-memory broker, anonymous access and presence on, and
/// <c>POST /api/publish</c>.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "TCP port to listen on.", DefaultValueFactory = _ => 8080 };
        port.Validators.Add(result =>
        {
            int value = result.GetValueOrDefault<int>();
            if (value is < 0 or > 65535) result.AddError($"--port must be between 0 and 65535, not {value}.");
        });
        var host = new Option<string>("--host") { Description = "Address to listen on (localhost, 0.0.0.0, an IP).", DefaultValueFactory = _ => "localhost" };
        var apiKey = new Option<string?>("--api-key")
        {
            Description = "Key of POST /api/publish (Authorization: apikey KEY); defaults to $WIREHUB_API_KEY, else a random key printed at start.",
        };
        var command = new Command("serve", "Run the Wirehub server (http://localhost:8080 by default).") { port, host, apiKey };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls($"http://{parse.GetValue(host)}:{parse.GetValue(port)}");
            string key = parse.GetValue(apiKey) ?? Environment.GetEnvironmentVariable("WIREHUB_API_KEY")
                ?? Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
            builder.Services.AddWirehub(options => options.ApiKey = key);
            var app = builder.Build();
            string page = LoadPage();
            app.MapGet("/", () => Results.Content(page, "text/html; charset=utf-8"));
            app.MapWebSocket("/echo", async connection =>
            {
                await foreach (var message in connection.ReadAllAsync())
                    await connection.SendAsync(message.Data, message.Type);
            });
            app.MapWirehub("/connection");
            app.MapWirehubPublish("/api/publish");
            if (parse.GetValue(apiKey) is null && Environment.GetEnvironmentVariable("WIREHUB_API_KEY") is null)
                Console.WriteLine($"POST /api/publish key: {key}");
            await app.RunAsync(cancellationToken);
            return 0;
        });
        return command;
    }

    private static string LoadPage()
    {
        using var stream = typeof(ServeCommand).Assembly.GetManifestResourceStream("Wirehub.Web.index.html")
            ?? throw new InvalidOperationException("The embedded page is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
