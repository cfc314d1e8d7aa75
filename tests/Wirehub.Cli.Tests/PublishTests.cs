using System.Text.Json;
using Wirehub.Cli.Tests.Support;

namespace Wirehub.Cli.Tests;

/// <summary><c>wirehub publish</c>: through POST /api/publish to the subscribers of a channel.</summary>
public sealed class PublishTests
{
    [Fact]
    public async Task Published_message_reaches_a_subscriber_and_its_serial_is_printed()
    {
        await using var server = await ServeProcess.StartLocalAsync();
        await using var subscriber = await SubscribeAsync(server, "room:lobby");

        var run = await WirehubProcess.RunAsync(["publish", "room:lobby", """{"text":"hi"}""", "--url", server.HttpUrl, "--api-key", ServeProcess.TestApiKey]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("1", run.Stdout);
        var message = await NextMessageAsync(subscriber);
        Assert.Equal("room:lobby", message.GetProperty("channel").GetString());
        Assert.Equal("hi", message.GetProperty("data").GetProperty("text").GetString());
        Assert.Equal(1, message.GetProperty("serial").GetInt64());
    }

    [Fact]
    public async Task Data_that_is_not_json_is_published_as_a_string()
    {
        await using var server = await ServeProcess.StartLocalAsync();
        await using var subscriber = await SubscribeAsync(server, "news");

        var run = await WirehubProcess.RunAsync(["publish", "news", "plain words", "--url", server.HttpUrl, "--api-key", ServeProcess.TestApiKey]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("plain words", (await NextMessageAsync(subscriber)).GetProperty("data").GetString());
    }

    [Fact]
    public async Task Url_and_key_come_from_the_environment()
    {
        await using var server = await ServeProcess.StartLocalAsync();

        var run = await WirehubProcess.RunAsync(["publish", "room:lobby", "42"], new Dictionary<string, string>
        {
            ["WIREHUB_URL"] = server.HttpUrl,
            ["WIREHUB_API_KEY"] = ServeProcess.TestApiKey,
        });

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("1", run.Stdout);
    }

    [Fact]
    public async Task Flags_win_over_the_environment()
    {
        await using var server = await ServeProcess.StartLocalAsync();

        var run = await WirehubProcess.RunAsync(["publish", "room:lobby", "42", "--url", server.HttpUrl, "--api-key", ServeProcess.TestApiKey],
            new Dictionary<string, string> { ["WIREHUB_URL"] = "http://127.0.0.1:9", ["WIREHUB_API_KEY"] = "wrong" });

        Assert.True(run.ExitCode == 0, run.ToString());
    }

    [Fact]
    public async Task Same_message_id_is_published_once()
    {
        await using var server = await ServeProcess.StartLocalAsync();
        string[] publish = ["publish", "room:lobby", "1", "--message-id", "m-1", "--url", server.HttpUrl, "--api-key", ServeProcess.TestApiKey];

        var first = await WirehubProcess.RunAsync(publish);
        var retry = await WirehubProcess.RunAsync(publish);
        var other = await WirehubProcess.RunAsync(["publish", "room:lobby", "2", "--url", server.HttpUrl, "--api-key", ServeProcess.TestApiKey]);

        Assert.Equal(("1", "1", "2"), (first.Stdout, retry.Stdout, other.Stdout));
    }

    [Fact]
    public async Task Wrong_api_key_exits_with_1_and_says_to_check_the_key()
    {
        await using var server = await ServeProcess.StartLocalAsync();

        var run = await WirehubProcess.RunAsync(["publish", "room:lobby", "1", "--url", server.HttpUrl, "--api-key", "not-the-key"]);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("wirehub publish: the server refused the publish: 401 Unauthorized", run.Stderr);
        Assert.Contains("Check the key: --api-key or WIREHUB_API_KEY must be the server's publish key.", run.Stderr);
        Assert.Empty(run.Stdout);
    }

    [Fact]
    public async Task Random_key_printed_by_serve_is_accepted()
    {
        await using var server = await ServeProcess.StartAsync(["--host", "127.0.0.1", "--port", "0"]);
        string line = await server.Process.WaitForStdoutAsync(l => l.StartsWith("POST /api/publish key: ", StringComparison.Ordinal), "the printed key");
        string key = line["POST /api/publish key: ".Length..];

        var run = await WirehubProcess.RunAsync(["publish", "room:lobby", "1", "--url", server.HttpUrl, "--api-key", key]);

        Assert.Equal(32, key.Length);
        Assert.True(run.ExitCode == 0, run.ToString());
    }

    [Fact]
    public async Task Api_key_of_serve_comes_from_wirehub_api_key()
    {
        await using var server = await ServeProcess.StartAsync(["--host", "127.0.0.1", "--port", "0"],
            new Dictionary<string, string> { ["WIREHUB_API_KEY"] = "key-from-the-environment" });

        var run = await WirehubProcess.RunAsync(["publish", "room:lobby", "1", "--url", server.HttpUrl],
            new Dictionary<string, string> { ["WIREHUB_API_KEY"] = "key-from-the-environment" });

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.DoesNotContain("POST /api/publish key:", server.Process.Stdout.Text);
    }

    [Fact]
    public async Task Data_larger_than_the_limit_exits_with_1_and_the_server_reason()
    {
        await using var server = await ServeProcess.StartLocalAsync("--max-message-size", "16");

        var run = await WirehubProcess.RunAsync(["publish", "room:lobby", "\"a string of more than sixteen bytes\"", "--url", server.HttpUrl, "--api-key", ServeProcess.TestApiKey]);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("413", run.Stderr);
        Assert.Contains("larger than 16 bytes", run.Stderr);
    }

    [Fact]
    public async Task Unreachable_server_exits_with_1()
    {
        int port = FreePort.Find();

        var run = await WirehubProcess.RunAsync(["publish", "room:lobby", "1", "--url", $"http://127.0.0.1:{port}", "--api-key", "k"]);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains($"wirehub publish: could not reach http://127.0.0.1:{port}/api/publish", run.Stderr);
    }

    [Fact]
    public async Task Missing_api_key_is_a_usage_error()
    {
        var run = await WirehubProcess.RunAsync(["publish", "room:lobby", "1", "--url", "http://127.0.0.1:9"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("no API key: pass --api-key KEY or set WIREHUB_API_KEY", run.Stderr);
    }

    [Fact]
    public async Task Invalid_channel_name_is_a_usage_error()
    {
        var run = await WirehubProcess.RunAsync(["publish", "room lobby", "1", "--api-key", "k"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("'room lobby' is not a channel name", run.Stderr);
    }

    [Fact]
    public async Task Url_that_is_not_http_is_a_usage_error()
    {
        var run = await WirehubProcess.RunAsync(["publish", "room:lobby", "1", "--api-key", "k", "--url", "ws://127.0.0.1:9"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--url 'ws://127.0.0.1:9' is not an http:// or https:// URL", run.Stderr);
    }

    /// <summary>A <c>wirehub connect</c> subscribed to <paramref name="channel"/>, its input left open.</summary>
    private static async Task<WirehubProcess> SubscribeAsync(ServeProcess server, string channel)
    {
        var subscriber = WirehubProcess.Start(["connect", "-s", "wirehub.v1", server.WebSocketUrl("/connection")], keepInputOpen: true);
        await subscriber.WriteLineAsync("""{"type":"connect","id":1}""");
        await subscriber.WriteLineAsync($$"""{"type":"subscribe","id":2,"channel":"{{channel}}"}""");
        await subscriber.WaitForStdoutAsync(line => line.Contains("\"type\":\"subscribed\""), "the subscribed reply");
        return subscriber;
    }

    private static async Task<JsonElement> NextMessageAsync(WirehubProcess subscriber)
    {
        string line = await subscriber.WaitForStdoutAsync(l => l.Contains("\"type\":\"message\""), "a message push");
        using var document = JsonDocument.Parse(line);
        return document.RootElement.Clone();
    }
}
