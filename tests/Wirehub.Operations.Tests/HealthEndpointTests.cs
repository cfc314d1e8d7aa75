using System.Net;
using System.Net.Http;
using System.Text.Json;
using Wirehub.Operations.Tests.Support;

namespace Wirehub.Operations.Tests;

/// <summary>
/// <c>/healthz</c> says the process is alive; <c>/readyz</c> says whether it should get new connections: not while it
/// drains, not while its broker is unreachable.
/// </summary>
public sealed class HealthEndpointTests
{
    private static readonly HttpClient Http = new() { Timeout = WirehubProcess.Patience };

    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(Uri uri)
    {
        var response = await Http.GetAsync(uri);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement);
    }

    [Fact]
    public async Task Healthz_answers_200_while_the_process_serves()
    {
        await using var host = await OperationsHost.StartAsync();
        var (status, body) = await GetAsync(host.HttpUri("/healthz"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Readyz_answers_200_when_accepting_connections_and_the_broker_is_reachable()
    {
        await using var host = await OperationsHost.StartAsync();
        var (status, body) = await GetAsync(host.HttpUri("/readyz"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("drain").GetProperty("status").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("broker").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Readyz_answers_503_while_the_broker_is_unreachable_and_200_once_it_is_back()
    {
        await using var host = await OperationsHost.StartAsync();
        host.Broker.Available = false;
        var (status, body) = await GetAsync(host.HttpUri("/readyz"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("Unhealthy", body.GetProperty("checks").GetProperty("broker").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(host.HttpUri("/healthz"))).Status);

        host.Broker.Available = true;
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(host.HttpUri("/readyz"))).Status);
    }

    [Fact]
    public async Task Readyz_answers_503_while_draining_and_healthz_stays_200()
    {
        await using var host = await OperationsHost.StartAsync();
        await host.Drain.DrainAsync();
        var (status, body) = await GetAsync(host.HttpUri("/readyz"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("Unhealthy", body.GetProperty("checks").GetProperty("drain").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(host.HttpUri("/healthz"))).Status);
    }

    [Fact]
    public async Task Wirehub_serve_whose_redis_is_unreachable_is_alive_but_not_ready()
    {
        // Nothing listens on port 1: the Redis broker cannot connect.
        await using var server = await WirehubProcess.StartAsync(["--broker", "redis", "--redis", "127.0.0.1:1"]);
        var (status, body) = await GetAsync(server.HttpUri("/readyz"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("Unhealthy", body.GetProperty("checks").GetProperty("broker").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(server.HttpUri("/healthz"))).Status);
    }

    [Fact]
    public async Task A_started_wirehub_serve_is_alive_and_ready()
    {
        await using var server = await WirehubProcess.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(server.HttpUri("/healthz"))).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(server.HttpUri("/readyz"))).Status);
    }
}
