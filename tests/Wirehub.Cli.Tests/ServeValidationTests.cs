using Wirehub.Cli.Tests.Support;

namespace Wirehub.Cli.Tests;

/// <summary>Each rule a setting must pass: a value it refuses stops the server before it starts, with exit code 2.</summary>
public sealed class ServeValidationTests
{
    private const string DidNotStart = "wirehub serve did not start";

    [Theory]
    [InlineData("--port", "70000", "WIREHUB_PORT", "an integer from 0 to 65535")]
    [InlineData("--port", "eighty", "WIREHUB_PORT", "an integer from 0 to 65535")]
    [InlineData("--host", "example.com", "WIREHUB_HOST", "localhost, an IP address")]
    [InlineData("--host", "8080", "WIREHUB_HOST", "localhost, an IP address")]
    [InlineData("--broker", "kafka", "WIREHUB_BROKER", "memory or redis")]
    [InlineData("--drain-window", "11m", "WIREHUB_DRAINWINDOW", "a duration from 0s to 10m")]
    [InlineData("--drain-window", "soon", "WIREHUB_DRAINWINDOW", "a duration from 0s to 10m")]
    [InlineData("--handshake-timeout", "0s", "WIREHUB_HANDSHAKETIMEOUT", "a duration from 1s to 10m")]
    [InlineData("--keep-alive-interval", "2d", "WIREHUB_KEEPALIVEINTERVAL", "a duration from 0s to 1d")]
    [InlineData("--keep-alive-timeout", "50ms", "WIREHUB_KEEPALIVETIMEOUT", "a duration from 100ms to 1d")]
    [InlineData("--log-format", "xml", "WIREHUB_LOGFORMAT", "simple or json")]
    [InlineData("--max-connections", "-1", "WIREHUB_REALTIME__MAXCONNECTIONS", "an integer from 0 to 10000000")]
    [InlineData("--connection-rate", "2000000", "WIREHUB_REALTIME__CONNECTIONRATE", "an integer from 0 to 1000000")]
    [InlineData("--message-rate", "0", "WIREHUB_REALTIME__MESSAGERATE", "an integer from 1 to 1000000")]
    [InlineData("--publish-rate", "0", "WIREHUB_REALTIME__PUBLISHRATE", "an integer from 1 to 1000000")]
    [InlineData("--max-message-size", "17MiB", "WIREHUB_REALTIME__MAXMESSAGESIZE", "a size in bytes from 1 to 16MiB")]
    [InlineData("--send-queue-bytes", "100", "WIREHUB_REALTIME__SENDQUEUEBYTES", "a size in bytes from 1KiB to 1GiB")]
    [InlineData("--max-subscriptions", "0", "WIREHUB_REALTIME__MAXSUBSCRIPTIONS", "an integer from 1 to 100000")]
    [InlineData("--recovery-window", "2d", "WIREHUB_REALTIME__RECOVERYWINDOW", "a duration from 0s to 1d")]
    [InlineData("--presence-grace", "1h", "WIREHUB_REALTIME__PRESENCEGRACE", "a duration from 0s to 10m")]
    [InlineData("--ping-interval", "0s", "WIREHUB_REALTIME__PINGINTERVAL", "a duration from 1s to 10m")]
    [InlineData("--connect-timeout", "11m", "WIREHUB_REALTIME__CONNECTTIMEOUT", "a duration from 1s to 10m")]
    [InlineData("--allowed-origin", "https://example.com/app", "WIREHUB_REALTIME__ALLOWEDORIGINS", "origins like https://example.com")]
    [InlineData("--allowed-origin", "example.com", "WIREHUB_REALTIME__ALLOWEDORIGINS", "origins like https://example.com")]
    [InlineData("--history-size", "-1", "WIREHUB_REALTIME__DEFAULTS__HISTORYSIZE", "an integer from 0 to 100000")]
    [InlineData("--history-ttl", "0s", "WIREHUB_REALTIME__DEFAULTS__HISTORYTTL", "a duration from 1s to 7d")]
    [InlineData("--presence", "maybe", "WIREHUB_REALTIME__DEFAULTS__PRESENCE", "true or false")]
    [InlineData("--publish-policy", "everyone", "WIREHUB_REALTIME__DEFAULTS__PUBLISH", "anyone or subscribers or server-only")]
    [InlineData("--fallback", "off", "WIREHUB_FALLBACK__ENABLED", "true or false")]
    [InlineData("--poll-timeout", "10m", "WIREHUB_FALLBACK__POLLTIMEOUT", "a duration from 1s to 5m")]
    [InlineData("--poll-session-timeout", "0s", "WIREHUB_FALLBACK__SESSIONTIMEOUT", "a duration from 1s to 10m")]
    [InlineData("--sse-keep-alive-interval", "500ms", "WIREHUB_FALLBACK__KEEPALIVEINTERVAL", "a duration from 1s to 10m")]
    public async Task Value_out_of_range_refuses_to_start_naming_the_option_and_its_range(string flag, string value, string variable, string accepted)
    {
        var run = await WirehubProcess.RunAsync(["serve", flag, value]);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains($"{flag} (", run.Stderr);
        Assert.Contains(variable, run.Stderr);
        Assert.Contains(accepted, run.Stderr);
        Assert.Contains($"not '{value}' (set by {flag})", run.Stderr);
        Assert.Contains(DidNotStart, run.Stderr);
        Assert.DoesNotContain("listening", run.Stdout);
    }

    [Theory]
    [InlineData("--api-key", "two words", "1 to 256 printable ASCII characters without spaces")]
    [InlineData("--jwt-key", "too-short-for-hs256", "at least 32 bytes")]
    [InlineData("--recovery-secret", "too-short-to-sign", "at least 32 bytes")]
    public async Task Secret_that_breaks_its_rule_is_refused_without_being_repeated(string flag, string value, string accepted)
    {
        var run = await WirehubProcess.RunAsync(["serve", flag, value]);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains($"{flag} (", run.Stderr);
        Assert.Contains(accepted, run.Stderr);
        Assert.DoesNotContain(value, run.Stderr);
    }

    [Fact]
    public async Task Value_from_the_environment_names_the_variable_that_set_it()
    {
        var run = await WirehubProcess.RunAsync(["serve"], new Dictionary<string, string> { ["WIREHUB_REALTIME__RECOVERYWINDOW"] = "forever" });

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--recovery-window (Realtime:RecoveryWindow, WIREHUB_REALTIME__RECOVERYWINDOW) must be a duration from 0s to 1d", run.Stderr);
        Assert.Contains("not 'forever' (set by environment variable WIREHUB_REALTIME__RECOVERYWINDOW)", run.Stderr);
    }

    [Fact]
    public async Task Value_from_the_file_names_the_file_that_set_it()
    {
        using var directory = new TemporaryDirectory();
        string file = directory.Write("appsettings.json", """{"Realtime": {"PresenceGrace": "an hour"}}""");

        var run = await WirehubProcess.RunAsync(["serve"], workingDirectory: directory.Path);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"not 'an hour' (set by {file})", run.Stderr);
    }

    [Fact]
    public async Task Every_refused_setting_is_reported_at_once()
    {
        var run = await WirehubProcess.RunAsync(["serve", "--port", "-1", "--ping-interval", "0s", "--presence", "yes"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--port (", run.Stderr);
        Assert.Contains("--ping-interval (", run.Stderr);
        Assert.Contains("--presence (", run.Stderr);
    }

    [Fact]
    public async Task Certificate_without_key_is_refused()
    {
        var run = await WirehubProcess.RunAsync(["serve", "--cert", "cert.pem"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--cert (Tls:Certificate, WIREHUB_TLS__CERTIFICATE) needs --key (Tls:Key, WIREHUB_TLS__KEY) too", run.Stderr);
    }

    [Fact]
    public async Task Key_without_certificate_is_refused()
    {
        var run = await WirehubProcess.RunAsync(["serve", "--key", "key.pem"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--key (Tls:Key, WIREHUB_TLS__KEY) needs --cert", run.Stderr);
    }

    [Fact]
    public async Task Redis_broker_without_a_connection_string_is_refused()
    {
        var run = await WirehubProcess.RunAsync(["serve", "--broker", "redis"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--broker (Broker, WIREHUB_BROKER) is redis, which needs --redis (Redis, WIREHUB_REDIS)", run.Stderr);
    }

    [Fact]
    public async Task Redis_connection_string_with_the_memory_broker_is_refused()
    {
        var run = await WirehubProcess.RunAsync(["serve", "--redis", "localhost:6379"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--redis (Redis, WIREHUB_REDIS) is set but the broker is memory", run.Stderr);
    }

    [Fact]
    public async Task Namespace_with_an_invalid_name_is_refused()
    {
        using var directory = new TemporaryDirectory();
        directory.Write("appsettings.json", """{"Realtime": {"Namespaces": {"chat room": {"HistorySize": 10}}}}""");

        var run = await WirehubProcess.RunAsync(["serve"], workingDirectory: directory.Path);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Realtime:Namespaces:chat room is not a namespace name", run.Stderr);
    }

    [Fact]
    public async Task Namespace_rule_out_of_range_names_the_namespace_setting()
    {
        var run = await WirehubProcess.RunAsync(["serve"], new Dictionary<string, string> { ["WIREHUB_REALTIME__NAMESPACES__chat__HISTORYTTL"] = "0s" });

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Realtime:Namespaces:chat:HistoryTtl (WIREHUB_REALTIME__NAMESPACES__chat__HISTORYTTL) must be a duration from 1s to 7d", run.Stderr);
    }

    [Fact]
    public async Task Misspelt_key_in_the_file_is_refused()
    {
        using var directory = new TemporaryDirectory();
        string file = directory.Write("appsettings.json", """{"Realtime": {"RecoveryWindw": "1m"}}""");

        var run = await WirehubProcess.RunAsync(["serve"], workingDirectory: directory.Path);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"{file}: unknown setting Realtime:RecoveryWindw", run.Stderr);
    }

    [Fact]
    public async Task Missing_config_file_is_refused()
    {
        var run = await WirehubProcess.RunAsync(["serve", "--config", "/nonexistent/wirehub.json"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--config: the configuration file /nonexistent/wirehub.json does not exist", run.Stderr);
    }

    [Fact]
    public async Task Config_file_that_is_not_json_is_refused()
    {
        using var directory = new TemporaryDirectory();
        string file = directory.Write("wirehub.json", """{"Port": 8080,""");

        var run = await WirehubProcess.RunAsync(["serve", "--config", file]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"{file}: not a valid JSON configuration file", run.Stderr);
    }

    [Fact]
    public async Task Port_in_use_is_a_runtime_failure()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        string port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port.ToString();

        var run = await WirehubProcess.RunAsync(["serve", "--host", "127.0.0.1", "--port", port]);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains($"wirehub serve: could not listen on 127.0.0.1 port {port}", run.Stderr);
    }
}
