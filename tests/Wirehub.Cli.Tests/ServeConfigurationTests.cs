using System.Text.Json;
using Wirehub.Cli.Tests.Support;

namespace Wirehub.Cli.Tests;

/// <summary>Where serve's settings come from: flags over WIREHUB_* variables over the JSON file.</summary>
public sealed class ServeConfigurationTests
{
    private static readonly string[] Local = ["--host", "127.0.0.1", "--port", "0"];

    [Fact]
    public async Task Defaults_apply_when_nothing_is_configured()
    {
        await using var server = await ServeProcess.StartAsync(Local);

        var limits = await RealtimeProbe.LimitsAsync(server);

        Assert.Equal(65536, limits.GetProperty("maxMessageSize").GetInt32());
        Assert.Equal(128, limits.GetProperty("maxSubscriptions").GetInt32());
        Assert.Equal(50, limits.GetProperty("publishRate").GetInt32());
        Assert.Equal(25000, limits.GetProperty("pingInterval").GetInt32());
        Assert.Equal(120000, limits.GetProperty("recoveryWindow").GetInt32());
        Assert.Equal(5000, limits.GetProperty("presenceGrace").GetInt32());
    }

    [Fact]
    public async Task Appsettings_json_in_the_working_directory_is_read()
    {
        using var directory = new TemporaryDirectory();
        directory.Write("appsettings.json", """{"Realtime": {"RecoveryWindow": "45s", "MaxMessageSize": "8KiB", "MaxSubscriptions": 3}}""");
        await using var server = await ServeProcess.StartAsync(Local, workingDirectory: directory.Path);

        var limits = await RealtimeProbe.LimitsAsync(server);

        Assert.Equal(45000, limits.GetProperty("recoveryWindow").GetInt32());
        Assert.Equal(8192, limits.GetProperty("maxMessageSize").GetInt32());
        Assert.Equal(3, limits.GetProperty("maxSubscriptions").GetInt32());
    }

    [Fact]
    public async Task Config_flag_reads_the_named_file_instead_of_appsettings_json()
    {
        using var directory = new TemporaryDirectory();
        directory.Write("appsettings.json", """{"Realtime": {"PublishRate": 11}}""");
        string named = directory.Write("production.json", """{"Realtime": {"PublishRate": 22}}""");
        await using var server = await ServeProcess.StartAsync([.. Local, "--config", named], workingDirectory: directory.Path);

        var limits = await RealtimeProbe.LimitsAsync(server);

        Assert.Equal(22, limits.GetProperty("publishRate").GetInt32());
    }

    [Fact]
    public async Task Wirehub_config_variable_names_the_file()
    {
        using var directory = new TemporaryDirectory();
        string named = directory.Write("production.json", """{"Realtime": {"PublishRate": 33}}""");
        await using var server = await ServeProcess.StartAsync(Local, new Dictionary<string, string> { ["WIREHUB_CONFIG"] = named });

        var limits = await RealtimeProbe.LimitsAsync(server);

        Assert.Equal(33, limits.GetProperty("publishRate").GetInt32());
    }

    [Fact]
    public async Task Environment_variable_overrides_the_file()
    {
        using var directory = new TemporaryDirectory();
        directory.Write("appsettings.json", """{"Realtime": {"PublishRate": 11, "PingInterval": "7s"}}""");
        await using var server = await ServeProcess.StartAsync(Local,
            new Dictionary<string, string> { ["WIREHUB_REALTIME__PUBLISHRATE"] = "44" }, directory.Path);

        var limits = await RealtimeProbe.LimitsAsync(server);

        Assert.Equal(44, limits.GetProperty("publishRate").GetInt32());
        Assert.Equal(7000, limits.GetProperty("pingInterval").GetInt32());
    }

    [Fact]
    public async Task Flag_overrides_the_environment_and_the_file()
    {
        using var directory = new TemporaryDirectory();
        directory.Write("appsettings.json", """{"Realtime": {"PublishRate": 11, "PresenceGrace": "3s"}}""");
        await using var server = await ServeProcess.StartAsync([.. Local, "--publish-rate", "55"],
            new Dictionary<string, string> { ["WIREHUB_REALTIME__PUBLISHRATE"] = "44", ["WIREHUB_REALTIME__PRESENCEGRACE"] = "2s" }, directory.Path);

        var limits = await RealtimeProbe.LimitsAsync(server);

        Assert.Equal(55, limits.GetProperty("publishRate").GetInt32());
        Assert.Equal(2000, limits.GetProperty("presenceGrace").GetInt32());
    }

    [Fact]
    public async Task Port_and_host_come_from_the_file()
    {
        using var directory = new TemporaryDirectory();
        int port = FreePort.Find();
        directory.Write("appsettings.json", $$"""{"Host": "127.0.0.1", "Port": {{port}}}""");

        await using var server = await ServeProcess.StartAsync([], workingDirectory: directory.Path);

        Assert.Equal($"http://127.0.0.1:{port}", server.HttpUrl);
    }

    [Fact]
    public async Task Port_comes_from_the_environment()
    {
        int port = FreePort.Find();

        await using var server = await ServeProcess.StartAsync(["--host", "127.0.0.1"], new Dictionary<string, string> { ["WIREHUB_PORT"] = port.ToString() });

        Assert.Equal($"http://127.0.0.1:{port}", server.HttpUrl);
    }

    [Fact]
    public async Task Allowed_origins_refuse_other_origins_with_403()
    {
        await using var server = await ServeProcess.StartLocalAsync("--allowed-origin", "https://app.example");

        var refused = await WirehubProcess.RunAsync(["connect", "--origin", "https://other.example", "-s", "wirehub.v1", server.WebSocketUrl("/connection")]);
        var allowed = await WirehubProcess.RunAsync(["connect", "--origin", "https://app.example", "-s", "wirehub.v1", server.WebSocketUrl("/connection")]);

        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Contains("403", refused.Stderr);
        Assert.True(allowed.ExitCode == 0, allowed.ToString());
    }

    [Fact]
    public async Task Allowed_origins_from_a_file_list_are_replaced_whole_by_the_flag()
    {
        using var directory = new TemporaryDirectory();
        directory.Write("appsettings.json", """{"Realtime": {"AllowedOrigins": ["https://one.example", "https://two.example"]}}""");
        await using var server = await ServeProcess.StartAsync([.. Local, "--allowed-origin", "https://three.example"], workingDirectory: directory.Path);

        var fromFile = await WirehubProcess.RunAsync(["connect", "--origin", "https://two.example", "-s", "wirehub.v1", server.WebSocketUrl("/connection")]);
        var fromFlag = await WirehubProcess.RunAsync(["connect", "--origin", "https://three.example", "-s", "wirehub.v1", server.WebSocketUrl("/connection")]);

        Assert.True(fromFile.ExitCode == 1, fromFile.ToString());
        Assert.True(fromFlag.ExitCode == 0, fromFlag.ToString());
    }

    [Fact]
    public async Task Namespace_rules_come_from_the_file_and_others_keep_the_defaults()
    {
        using var directory = new TemporaryDirectory();
        directory.Write("appsettings.json", """{"Realtime": {"Namespaces": {"news": {"Publish": "server-only"}}}}""");
        await using var server = await ServeProcess.StartAsync(Local, workingDirectory: directory.Path);

        var run = await WirehubProcess.RunAsync(["connect", "-s", "wirehub.v1", server.WebSocketUrl("/connection")], input:
        [
            """{"type":"connect","id":1}""",
            """{"type":"publish","id":2,"channel":"news:today","data":1}""",
            """{"type":"publish","id":3,"channel":"room:lobby","data":1}""",
        ]);

        Assert.True(run.ExitCode == 0, run.ToString());
        var replies = run.Stdout.Split('\n').Select(line => JsonDocument.Parse(line).RootElement).ToList();
        var refused = replies.Single(reply => reply.TryGetProperty("id", out var id) && id.GetInt32() == 2);
        var accepted = replies.Single(reply => reply.TryGetProperty("id", out var id) && id.GetInt32() == 3);
        Assert.Equal("error", refused.GetProperty("type").GetString());
        Assert.Equal(403, refused.GetProperty("code").GetInt32());
        Assert.Equal("ack", accepted.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Publish_policy_flag_sets_the_default_namespace_rule()
    {
        await using var server = await ServeProcess.StartLocalAsync("--publish-policy", "server-only");

        var run = await WirehubProcess.RunAsync(["connect", "-s", "wirehub.v1", server.WebSocketUrl("/connection")], input:
        [
            """{"type":"connect","id":1}""",
            """{"type":"publish","id":2,"channel":"lobby","data":1}""",
        ]);

        var reply = run.Stdout.Split('\n').Select(line => JsonDocument.Parse(line).RootElement)
            .Single(r => r.TryGetProperty("id", out var id) && id.GetInt32() == 2);
        Assert.Equal(403, reply.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Jwt_key_requires_a_token_to_connect()
    {
        await using var server = await ServeProcess.StartLocalAsync("--jwt-key", "a-signing-key-of-at-least-32-bytes!");

        var run = await WirehubProcess.RunAsync(["connect", "-s", "wirehub.v1", "--wait", "30s", server.WebSocketUrl("/connection")], input:
        [
            """{"type":"connect","id":1}""",
        ]);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("closed: 4001", run.Stderr);
    }

    [Fact]
    public async Task Fallback_transports_are_served_by_default()
    {
        await using var server = await ServeProcess.StartLocalAsync();
        using var http = new HttpClient();

        using var response = await http.PostAsync($"{server.HttpUrl}/connection/poll", null);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"session\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Fallback_false_turns_the_fallback_transports_off()
    {
        await using var server = await ServeProcess.StartLocalAsync("--fallback", "false");
        using var http = new HttpClient();

        using var response = await http.PostAsync($"{server.HttpUrl}/connection/poll", null);

        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
    }
}
