using System.Runtime.InteropServices;
using Wirehub.Cli.Tests.Support;
using Wirehub.WebSockets;

namespace Wirehub.Cli.Tests;

/// <summary><c>wirehub connect</c>: lines in, messages out, state on standard error, a closing handshake at the end.</summary>
public sealed class ConnectTests
{
    [Fact]
    public async Task Lines_piped_in_come_back_from_the_echo_endpoint_one_per_line()
    {
        await using var server = await ServeProcess.StartLocalAsync();

        var run = await WirehubProcess.RunAsync(["connect", server.WebSocketUrl("/echo")], input: ["hello", "wörld", "{\"json\": true}"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("hello\nwörld\n{\"json\": true}", run.Stdout);
    }

    [Fact]
    public async Task Negotiated_extensions_and_the_close_code_go_to_standard_error()
    {
        await using var server = await ServeProcess.StartLocalAsync();

        var run = await WirehubProcess.RunAsync(["connect", server.WebSocketUrl("/echo")], input: ["hi"]);

        Assert.Contains($"connected to {server.WebSocketUrl("/echo")} (subprotocol: none; extensions: permessage-deflate", run.Stderr);
        Assert.EndsWith("closed: 1000", run.Stderr);
    }

    [Fact]
    public async Task No_compression_offers_no_extension()
    {
        await using var server = await ServeProcess.StartLocalAsync();

        var run = await WirehubProcess.RunAsync(["connect", "--no-compression", server.WebSocketUrl("/echo")], input: ["hi"]);

        Assert.Contains("extensions: none)", run.Stderr);
        Assert.Equal("hi", run.Stdout);
    }

    [Fact]
    public async Task Negotiated_subprotocol_is_printed()
    {
        await using var server = await ServeProcess.StartLocalAsync();

        var run = await WirehubProcess.RunAsync(["connect", "-s", "chat.v0", "-s", "wirehub.v1", server.WebSocketUrl("/connection")], input: []);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("(subprotocol: wirehub.v1;", run.Stderr);
    }

    [Fact]
    public async Task Binary_flag_sends_binary_messages_printed_back_as_hex()
    {
        await using var server = await ServeProcess.StartLocalAsync();

        var run = await WirehubProcess.RunAsync(["connect", "--binary", server.WebSocketUrl("/echo")], input: ["hi", "AB"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("6869\n4142", run.Stdout);
    }

    [Theory]
    [InlineData("base64", "aGk=")]
    [InlineData("text", "hi")]
    [InlineData("hex", "6869")]
    public async Task Show_binary_chooses_how_binary_messages_are_printed(string display, string printed)
    {
        await using var server = await ServeProcess.StartLocalAsync();

        var run = await WirehubProcess.RunAsync(["connect", "--binary", "--show-binary", display, server.WebSocketUrl("/echo")], input: ["hi"]);

        Assert.Equal(printed, run.Stdout);
    }

    [Fact]
    public async Task Headers_are_sent_with_the_handshake()
    {
        await using var server = await ScriptedServer.StartAsync(async (connection, context) =>
            await connection.SendTextAsync($"{context.Request.Headers["X-Trace"]}|{context.Request.Headers.Authorization}"));

        var run = await WirehubProcess.RunAsync(["connect", "-H", "X-Trace: abc-123", "--header", "Authorization: Bearer t0k3n", "--wait", "30s", server.Url], input: []);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("abc-123|Bearer t0k3n", run.Stdout);
    }

    [Fact]
    public async Task Close_code_and_reason_are_sent_at_the_end_of_input()
    {
        var received = new TaskCompletionSource<(ushort?, string?)>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await ScriptedServer.StartAsync(async (connection, _) =>
        {
            await foreach (var message in connection.ReadAllAsync()) { }
            received.TrySetResult((connection.CloseStatus, connection.CloseReason));
        });

        var run = await WirehubProcess.RunAsync(["connect", "--close-code", "4000", "--close-reason", "done here", server.Url], input: ["x"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(((ushort?)4000, "done here"), await received.Task.WaitAsync(CliTimeouts.Output));
        // The server answers with the same code, as RFC 6455 §5.5.1 suggests, and no reason of its own.
        Assert.EndsWith("closed: 4000", run.Stderr);
    }

    [Fact]
    public async Task Server_closing_with_an_error_code_exits_with_1()
    {
        await using var server = await ScriptedServer.StartAsync((connection, _) => connection.CloseAsync(4003, "not allowed"));

        var run = await WirehubProcess.RunAsync(["connect", "--wait", "30s", server.Url], input: []);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.EndsWith("closed: 4003 not allowed", run.Stderr);
    }

    [Fact]
    public async Task Server_closing_normally_exits_with_0_while_input_is_still_open()
    {
        await using var server = await ScriptedServer.StartAsync((connection, _) => connection.CloseAsync(1000, "bye"));
        await using var process = WirehubProcess.Start(["connect", server.Url], keepInputOpen: true);

        int exitCode = await process.WaitForExitAsync();

        Assert.True(exitCode == 0, process.Describe());
        Assert.EndsWith("closed: 1000 bye", process.Stderr.Text);
    }

    [Fact]
    public async Task Ctrl_c_closes_with_a_closing_handshake()
    {
        await using var server = await ServeProcess.StartLocalAsync();
        await using var process = WirehubProcess.Start(["connect", server.WebSocketUrl("/echo")], keepInputOpen: true);
        await process.WriteLineAsync("before ctrl+c");
        await process.WaitForStdoutAsync(line => line == "before ctrl+c", "the echo");

        process.Signal(PosixSignal.SIGINT);
        int exitCode = await process.WaitForExitAsync();

        Assert.True(exitCode == 0, process.Describe());
        Assert.EndsWith("closed: 1000", process.Stderr.Text);
    }

    [Fact]
    public async Task Wait_keeps_the_connection_open_after_the_end_of_input()
    {
        await using var server = await ScriptedServer.StartAsync(async (connection, _) =>
        {
            // Speaks only later, and not in answer to anything: a client that closed at the end of its input would
            // have closed the connection by then, and the send would fail.
            var later = Task.Run(async () =>
            {
                await Task.Delay(300);
                await connection.SendTextAsync("later");
                await connection.CloseOutputAsync(1000, "said it");
            });
            await foreach (var message in connection.ReadAllAsync()) { }
            try { await later; }
            catch (WebSocketClosedException) { }
        });

        var run = await WirehubProcess.RunAsync(["connect", "--wait", "60s", server.Url], input: ["a"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("later", run.Stdout);
        Assert.EndsWith("closed: 1000 said it", run.Stderr);
    }

    [Fact]
    public async Task Refused_connection_exits_with_1()
    {
        int port = FreePort.Find();

        var run = await WirehubProcess.RunAsync(["connect", $"ws://127.0.0.1:{port}/"], input: ["never sent"]);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains($"wirehub connect: Could not connect to ws://127.0.0.1:{port}/", run.Stderr);
        Assert.Contains("refused", run.Stderr);
    }

    [Fact]
    public async Task Refused_handshake_exits_with_1_and_the_status()
    {
        await using var server = await ServeProcess.StartLocalAsync();

        // The realtime endpoint refuses a handshake that does not offer wirehub.v1.
        var run = await WirehubProcess.RunAsync(["connect", server.WebSocketUrl("/connection")], input: []);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("wirehub connect: The server refused the WebSocket handshake with 400 Bad Request", run.Stderr);
    }

    [Theory]
    [InlineData("localhost:8080/echo", "is not a WebSocket URL")]
    [InlineData("ftp://localhost/echo", "is not a WebSocket URL")]
    public async Task Url_that_is_not_a_websocket_url_is_a_usage_error(string url, string message)
    {
        var run = await WirehubProcess.RunAsync(["connect", url]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Stderr);
    }

    [Fact]
    public async Task Header_without_a_colon_is_a_usage_error()
    {
        var run = await WirehubProcess.RunAsync(["connect", "-H", "X-Trace abc", "ws://127.0.0.1:9/"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--header 'X-Trace abc' is not \"Name: value\"", run.Stderr);
    }

    [Fact]
    public async Task Header_the_handshake_owns_is_a_usage_error()
    {
        var run = await WirehubProcess.RunAsync(["connect", "-H", "Sec-WebSocket-Key: x", "ws://127.0.0.1:9/"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Sec-WebSocket-Key", run.Stderr);
    }

    [Fact]
    public async Task Close_code_that_cannot_be_sent_is_a_usage_error()
    {
        var run = await WirehubProcess.RunAsync(["connect", "--close-code", "1006", "ws://127.0.0.1:9/"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--close-code 1006 cannot be sent in a close frame", run.Stderr);
    }

    [Fact]
    public async Task Close_reason_longer_than_a_close_frame_holds_is_a_usage_error()
    {
        var run = await WirehubProcess.RunAsync(["connect", "--close-reason", new string('r', 124), "ws://127.0.0.1:9/"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--close-reason is 124 bytes of UTF-8; a close frame holds at most 123", run.Stderr);
    }
}
