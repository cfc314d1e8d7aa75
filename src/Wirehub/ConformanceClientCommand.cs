using System.CommandLine;

namespace Wirehub.Cli;

/// <summary><c>wirehub conformance-client</c>: runs the WebSocket client against an Autobahn-style fuzzing server.</summary>
internal static class ConformanceClientCommand
{
    public static Command Create()
    {
        var baseUrl = new Argument<Uri>("base-url") { Description = "The fuzzing server, e.g. ws://127.0.0.1:9001/" };
        var agent = new Option<string>("--agent") { Description = "The agent name reported to the server.", DefaultValueFactory = _ => "wirehub" };
        var command = new Command("conformance-client", "Drive the WebSocket client through an Autobahn TestSuite style fuzzing server.") { baseUrl, agent };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var url = parse.GetValue(baseUrl)!;
            if (url.Scheme is not ("ws" or "wss"))
            {
                Console.Error.WriteLine($"base-url must be a ws:// or wss:// URL, not '{url}'.");
                return 2;
            }
            if (!url.AbsolutePath.EndsWith('/')) url = new Uri(url + "/");
            try
            {
                int count = await ConformanceClient.RunAsync(url, parse.GetValue(agent)!, cancellationToken,
                    (i, n) => Console.Write($"\rcase {i}/{n}"));
                Console.WriteLine($"\nran {count} cases; the server holds the verdicts.");
                return 0;
            }
            catch (Exception ex) when (ex is Wirehub.Protocol.WebSocketHandshakeException or InvalidDataException)
            {
                Console.Error.WriteLine(ex.Message);
                return 1;
            }
        });
        return command;
    }
}
