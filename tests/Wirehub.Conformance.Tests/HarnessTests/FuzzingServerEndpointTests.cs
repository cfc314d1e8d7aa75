using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Wirehub.Conformance.Tests.Catalogue;
using Wirehub.Conformance.Tests.Drivers;
using Wirehub.Conformance.Tests.Wire;

namespace Wirehub.Conformance.Tests.HarnessTests;

public sealed class FuzzingServerEndpointTests
{
    private static List<CaseDefinition> ThreeCases() => [CaseCatalogue.ById("1.1.1"), CaseCatalogue.ById("2.1"), CaseCatalogue.ById("7.1.1")];

    [Fact]
    public async Task Get_case_count_sends_the_number_of_cases_as_one_text_message_then_closes()
    {
        await using var server = FuzzingServer.Start(ThreeCases());
        using var client = new ClientWebSocket();
        await client.ConnectAsync(new Uri(server.Url, "getCaseCount"), CancellationToken.None);

        var buffer = new byte[64];
        var message = await client.ReceiveAsync(buffer, CancellationToken.None);
        var close = await client.ReceiveAsync(buffer, CancellationToken.None);

        Assert.Equal((WebSocketMessageType.Text, "3"), (message.MessageType, Encoding.UTF8.GetString(buffer, 0, message.Count)));
        Assert.Equal(WebSocketMessageType.Close, close.MessageType);
    }

    [Fact]
    public async Task Update_reports_closes_normally_and_is_counted_for_the_agent()
    {
        await using var server = FuzzingServer.Start(ThreeCases());
        using var client = new ClientWebSocket();
        await client.ConnectAsync(new Uri(server.Url, "updateReports?agent=some%20client"), CancellationToken.None);

        var close = await client.ReceiveAsync(new byte[16], CancellationToken.None);

        Assert.Equal(WebSocketMessageType.Close, close.MessageType);
        Assert.Equal(1, server.ReportRequests("some client"));
    }

    [Fact]
    public async Task Case_urls_number_cases_from_1_in_catalogue_order()
    {
        await using var server = FuzzingServer.Start();

        Assert.Equal("/runCase?case=1&agent=a", server.CaseUrl("1.1.1", "a").PathAndQuery);
        Assert.Equal($"/runCase?case={CaseCatalogue.All.Count}&agent=a", server.CaseUrl("13.7.18", "a").PathAndQuery);
    }

    [Theory]
    [InlineData("/runCase?case=1", 400, "agent=NAME")]
    [InlineData("/runCase?case=4&agent=x", 400, "from 1 to 3")]
    [InlineData("/somewhere", 404, "/getCaseCount")]
    public async Task Requests_the_fuzzing_server_cannot_serve_are_refused_saying_why(string target, int status, string hint)
    {
        await using var server = FuzzingServer.Start(ThreeCases());
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server.Url.Host, server.Url.Port);
        await socket.SendAsync(Encoding.ASCII.GetBytes(OpeningHandshake.BuildRequest(new Uri(server.Url, target), OpeningHandshake.NewKey(), null)));

        var (head, body) = await HttpHead.ReadAsync(socket, CancellationToken.None);
        var rest = new byte[4096];
        int read = await socket.ReceiveAsync(rest);

        Assert.StartsWith($"HTTP/1.1 {status} ", head.StartLine);
        Assert.Contains(hint, Encoding.UTF8.GetString([.. body, .. rest.AsSpan(0, read)]));
    }

    [Fact]
    public async Task Case_run_by_a_client_is_judged_under_its_agent()
    {
        await using var server = FuzzingServer.Start(ThreeCases());

        await SystemsUnderTest.ClientWebSocketEcho.RunCaseAsync(server.CaseUrl("2.1", "echo"), CancellationToken.None);
        var verdict = await server.VerdictAsync("echo", "2.1", CancellationToken.None);

        Assert.True(verdict.Passed, verdict.ToString());
        Assert.Equal(["2.1"], server.VerdictsFor("echo").Keys);
    }
}
