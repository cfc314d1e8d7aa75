using Microsoft.Playwright;

namespace Wirehub.Browser.Tests;

/// <summary>
/// One visitor of the live-cursor demo (src/Wirehub/Web/index.html): a page in its own browser context, so each has
/// its own client id, name and storage, as separate visitors would.
/// </summary>
internal sealed class DemoPage : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly IBrowserContext _context;

    private DemoPage(IBrowserContext context, IPage page, string clientId)
    {
        _context = context;
        Page = page;
        ClientId = clientId;
    }

    public IPage Page { get; }

    /// <summary>The client id the server gave this page's connection.</summary>
    public string ClientId { get; }

    /// <summary>
    /// Opens the demo with <paramref name="transport"/> forced (null: negotiated) in a window of the given size and
    /// waits until it is connected and present in the room. <paramref name="prepare"/> can set up the browser context
    /// first (routes that break a transport).
    /// </summary>
    public static async Task<DemoPage> OpenAsync(IBrowser browser, string baseUrl, string name, string? transport, int width, int height,
        Func<IBrowserContext, Task>? prepare = null)
    {
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height } });
        if (prepare is not null) await prepare(context);
        var page = await context.NewPageAsync();
        string query = $"?name={Uri.EscapeDataString(name)}" + (transport is null ? "" : $"&transport={transport}");
        await page.GotoAsync(baseUrl + "/" + query);
        await page.Locator("#transport[data-state='connected']").WaitForAsync(new() { Timeout = Ms(Patience) });
        string clientId = await page.Locator("#me[data-client-id]").GetAttributeAsync("data-client-id", new() { Timeout = Ms(Patience) })
            ?? throw new InvalidOperationException("The demo shows no client id.");
        var demo = new DemoPage(context, page, clientId);
        await demo.WaitUntilPresentAsync(clientId);
        return demo;
    }

    /// <summary>The transport indicator: the transport's name once connected, else the connection state.</summary>
    public Task<string> TransportAsync() => Page.Locator("#transport").InnerTextAsync();

    /// <summary>The id of the page's current connection (a new one after reconnecting to a new session).</summary>
    public async Task<string> ConnectionIdAsync() =>
        await Page.Locator("#me[data-connection-id]").GetAttributeAsync("data-connection-id", new() { Timeout = Ms(Patience) }) ?? "";

    /// <summary>Waits until the page is connected again on a connection other than <paramref name="previous"/>.</summary>
    public Task WaitUntilReconnectedAsync(string previous) =>
        Page.WaitForFunctionAsync(
            """
            (previous) => {
              const me = document.getElementById('me');
              return document.getElementById('transport').dataset.state === 'connected'
                && !!me.dataset.connectionId && me.dataset.connectionId !== previous;
            }
            """, previous, new() { Timeout = Ms(Patience) });

    /// <summary>Moves the mouse to a point of the board given as fractions of its width and height.</summary>
    public async Task MovePointerToAsync(double x, double y)
    {
        var board = await Page.Locator("#board").BoundingBoxAsync() ?? throw new InvalidOperationException("The demo has no board.");
        await Page.Mouse.MoveAsync((float)(board.X + x * board.Width), (float)(board.Y + y * board.Height), new() { Steps = 4 });
    }

    /// <summary>
    /// Moves the pointer to (<paramref name="x"/>, <paramref name="y"/>) until <paramref name="viewer"/> draws this
    /// page's cursor there. Right after a reconnect the viewer may not be subscribed again yet, and a position sent
    /// before that is not replayed to it (the restarted server's stream is new), so the move is repeated, from a little
    /// aside, until it is seen.
    /// </summary>
    public async Task MovePointerUntilSeenAsync(DemoPage viewer, double x, double y)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            await MovePointerToAsync(x - 0.05, y);
            await MovePointerToAsync(x, y);
            if (await viewer.TryWaitForCursorAtAsync(ClientId, x, y, TimeSpan.FromSeconds(2))) return;
        }
        await viewer.WaitForCursorAtAsync(ClientId, x, y);
    }

    /// <summary>
    /// Waits until the cursor of <paramref name="clientId"/> is drawn at the board point (<paramref name="x"/>,
    /// <paramref name="y"/>), given as fractions of this page's board, within 1.5 px.
    /// </summary>
    public async Task WaitForCursorAtAsync(string clientId, double x, double y)
    {
        if (await TryWaitForCursorAtAsync(clientId, x, y, Patience)) return;
        string seen = await Page.EvaluateAsync<string>(
            """
            (clientId) => {
              const board = document.getElementById('board').getBoundingClientRect();
              const cursor = document.querySelector(`.cursor[data-client-id="${CSS.escape(clientId)}"]`);
              if (!cursor) return `no cursor; cursors of ${[...document.querySelectorAll('.cursor')].map(c => c.dataset.clientId).join(', ') || 'nobody'}`;
              const at = cursor.getBoundingClientRect();
              return `cursor at (${at.left - board.left}, ${at.top - board.top}) of a ${board.width}x${board.height} board, hidden=${cursor.hidden}`;
            }
            """, clientId);
        Assert.Fail($"The cursor of {clientId} did not reach ({x:0.###}, {y:0.###}) of the board within {Patience.TotalSeconds} s: {seen}; " +
            $"transport: {await TransportAsync()}.");
    }

    private async Task<bool> TryWaitForCursorAtAsync(string clientId, double x, double y, TimeSpan timeout)
    {
        try
        {
            await Page.WaitForFunctionAsync(
                """
                ([clientId, x, y]) => {
                  const board = document.getElementById('board').getBoundingClientRect();
                  const cursor = document.querySelector(`.cursor[data-client-id="${CSS.escape(clientId)}"]`);
                  if (!cursor || cursor.hidden) return false;
                  const at = cursor.getBoundingClientRect();
                  return Math.abs(at.left - board.left - x * board.width) <= 1.5 && Math.abs(at.top - board.top - y * board.height) <= 1.5;
                }
                """, new object[] { clientId, x, y }, new() { Timeout = Ms(timeout) });
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Waits until the presence list shows <paramref name="clientId"/>.</summary>
    public Task WaitUntilPresentAsync(string clientId) =>
        Page.Locator($"#people li[data-client-id='{clientId}']").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = Ms(Patience) });

    /// <summary>Waits until the presence list no longer shows <paramref name="clientId"/>.</summary>
    public Task WaitUntilAbsentAsync(string clientId) =>
        Page.Locator($"#people li[data-client-id='{clientId}']").WaitForAsync(new() { State = WaitForSelectorState.Detached, Timeout = Ms(Patience) });

    /// <summary>The client ids in the presence list.</summary>
    public async Task<IReadOnlyList<string>> PresentAsync()
    {
        var ids = await Page.Locator("#people li").EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.clientId)");
        return ids;
    }

    /// <summary>Closes the page as a visitor closing the tab does (unload handlers run).</summary>
    public Task CloseAsync() => Page.CloseAsync(new() { RunBeforeUnload = true });

    private static float Ms(TimeSpan span) => (float)span.TotalMilliseconds;

    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}
