namespace Wirehub.Browser.Tests;

/// <summary>
/// The live-cursor demo that <c>wirehub serve</c> serves at /, in headless Chromium against the built server process:
/// pages of different sizes see each other's cursors at the same place of the board, over each transport, across a
/// server restart, and the presence list follows pages that close.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class LiveCursorTests(ChromiumFixture chromium) : IAsyncLifetime
{
    private WirehubServerProcess _server = null!;

    public async Task InitializeAsync() => _server = await WirehubServerProcess.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<DemoPage> OpenAsync(string name, string? transport = null, int width = 1280, int height = 800,
        Func<Microsoft.Playwright.IBrowserContext, Task>? prepare = null) =>
        DemoPage.OpenAsync(chromium.Browser, _server.BaseUrl, name, transport, width, height, prepare);

    [Fact]
    public async Task A_cursor_moved_in_one_page_appears_at_the_same_place_of_the_board_in_another_of_a_different_size()
    {
        await using var ada = await OpenAsync("Ada", width: 1280, height: 800);
        await using var bob = await OpenAsync("Bob", width: 900, height: 640);
        await bob.WaitUntilPresentAsync(ada.ClientId);

        await ada.MovePointerToAsync(0.7, 0.6);
        await bob.WaitForCursorAtAsync(ada.ClientId, 0.7, 0.6);

        await ada.MovePointerToAsync(0.55, 0.3);
        await bob.WaitForCursorAtAsync(ada.ClientId, 0.55, 0.3);
    }

    [Fact]
    public async Task Without_a_forced_transport_the_demo_connects_over_a_websocket()
    {
        await using var ada = await OpenAsync("Ada");
        Assert.Equal("websocket", await ada.TransportAsync());
    }

    [Fact]
    public async Task A_page_whose_websockets_cannot_open_falls_back_to_sse_and_still_sees_cursors()
    {
        // As behind a proxy that refuses the upgrade: every WebSocket of this page fails as a browser reports it,
        // with an error and a close 1006.
        await using var behindProxy = await OpenAsync("Proxied", prepare: context => context.AddInitScriptAsync(
            """
            window.WebSocket = class {
              constructor(url) { this.url = url; this.readyState = 0; this.protocol = '';
                setTimeout(() => { this.readyState = 3; this.onerror?.({}); this.onclose?.({ code: 1006, reason: '' }); }, 0); }
              send() { throw new Error('not open'); }
              close() { this.readyState = 3; }
            };
            """));
        await using var direct = await OpenAsync("Direct");
        Assert.Equal("sse", await behindProxy.TransportAsync());
        Assert.Equal("websocket", await direct.TransportAsync());

        await direct.MovePointerToAsync(0.75, 0.4);
        await behindProxy.WaitForCursorAtAsync(direct.ClientId, 0.75, 0.4);
        await behindProxy.MovePointerToAsync(0.65, 0.7);
        await direct.WaitForCursorAtAsync(behindProxy.ClientId, 0.65, 0.7);
    }

    [Theory]
    [InlineData("websocket")]
    [InlineData("sse")]
    [InlineData("longpolling")]
    public async Task Cursors_move_both_ways_between_pages_over_each_forced_transport(string transport)
    {
        await using var ada = await OpenAsync("Ada", transport, 1100, 760);
        await using var bob = await OpenAsync("Bob", transport, 820, 600);
        Assert.Equal(transport, await ada.TransportAsync());
        Assert.Equal(transport, await bob.TransportAsync());

        await ada.MovePointerToAsync(0.8, 0.25);
        await bob.WaitForCursorAtAsync(ada.ClientId, 0.8, 0.25);
        await bob.MovePointerToAsync(0.6, 0.75);
        await ada.WaitForCursorAtAsync(bob.ClientId, 0.6, 0.75);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("sse")]
    [InlineData("longpolling")]
    public async Task Both_pages_reconnect_and_cursors_resume_after_the_server_restarts_on_the_same_port(string? transport)
    {
        await using var ada = await OpenAsync("Ada", transport);
        await using var bob = await OpenAsync("Bob", transport, 1000, 700);
        await ada.MovePointerToAsync(0.7, 0.5);
        await bob.WaitForCursorAtAsync(ada.ClientId, 0.7, 0.5);
        string adaBefore = await ada.ConnectionIdAsync(), bobBefore = await bob.ConnectionIdAsync();

        await _server.KillAsync();
        await _server.StartAgainAsync();

        // Only pages reconnected to the new server can pass these: the one that saw the first position is gone.
        await ada.WaitUntilReconnectedAsync(adaBefore);
        await bob.WaitUntilReconnectedAsync(bobBefore);
        await bob.WaitUntilPresentAsync(ada.ClientId);
        await ada.WaitUntilPresentAsync(bob.ClientId);
        await ada.MovePointerUntilSeenAsync(bob, 0.85, 0.8);
        await bob.MovePointerUntilSeenAsync(ada, 0.6, 0.2);
    }

    [Theory]
    [InlineData("websocket")]
    [InlineData("sse")]
    [InlineData("longpolling")]
    public async Task The_presence_list_drops_a_page_that_closes(string transport)
    {
        await using var ada = await OpenAsync("Ada");
        await using var bob = await OpenAsync("Bob", transport);
        await ada.WaitUntilPresentAsync(bob.ClientId);
        await bob.MovePointerToAsync(0.7, 0.7);
        await ada.WaitForCursorAtAsync(bob.ClientId, 0.7, 0.7);

        await bob.CloseAsync();

        await ada.WaitUntilAbsentAsync(bob.ClientId);
        Assert.Equal([ada.ClientId], await ada.PresentAsync());
        Assert.Equal(0, await ada.Page.Locator($".cursor[data-client-id='{bob.ClientId}']").CountAsync());
    }

    [Fact]
    public async Task A_screenshot_of_the_demo_with_two_cursors_is_kept_as_a_test_artifact()
    {
        await using var viewer = await OpenAsync("Viewer", width: 1200, height: 760);
        await using var ada = await OpenAsync("Ada Lovelace", width: 1200, height: 760);
        await using var alan = await OpenAsync("Alan Turing", width: 1000, height: 700);
        await ada.MovePointerToAsync(0.62, 0.38);
        await alan.MovePointerToAsync(0.8, 0.68);
        await viewer.WaitForCursorAtAsync(ada.ClientId, 0.62, 0.38);
        await viewer.WaitForCursorAtAsync(alan.ClientId, 0.8, 0.68);

        string path = Path.Combine(TestArtifacts.Directory, "live-cursors.png");
        File.Delete(path);
        await viewer.Page.ScreenshotAsync(new() { Path = path });

        Assert.True(new FileInfo(path).Length > 10_000, $"The screenshot at {path} is missing or empty.");
        Assert.Equal(2, await viewer.Page.Locator(".cursor:not([hidden])").CountAsync());
    }
}
