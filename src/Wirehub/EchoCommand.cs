using System.CommandLine;

namespace Wirehub.Cli;

/// <summary><c>wirehub echo</c>: the bare echo / broadcast server.</summary>
internal static class EchoCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "TCP port on 127.0.0.1 (0 picks a free one).", DefaultValueFactory = _ => 9001 };
        port.Validators.Add(result =>
        {
            int value = result.GetValueOrDefault<int>();
            if (value is < 0 or > 65535) result.AddError($"--port must be between 0 and 65535, not {value}.");
        });
        var mode = new Option<EchoMode>("--mode") { Description = "echo: send each message back; broadcast: send each text message to all clients.", DefaultValueFactory = _ => EchoMode.Echo };
        var command = new Command("echo", "Run a bare WebSocket server on ws://127.0.0.1:PORT/ (any path, permessage-deflate enabled).") { port, mode };
        command.SetAction(async (parse, cancellationToken) =>
        {
            EchoServer server;
            try
            {
                server = await EchoServer.StartAsync(parse.GetValue(port), parse.GetValue(mode), cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException)
            {
                Console.Error.WriteLine($"wirehub echo: could not listen on 127.0.0.1 port {parse.GetValue(port)}: {ex.Message} Choose another --port.");
                return ExitCode.Failure;
            }
            await using var _ = server;
            Console.WriteLine($"wirehub echo ({parse.GetValue(mode).ToString().ToLowerInvariant()}) listening on {server.Url}");
            try { await Task.Delay(Timeout.Infinite, cancellationToken); }
            catch (OperationCanceledException) { }
            return ExitCode.Ok;
        });
        return command;
    }
}
