using Microsoft.Playwright;

namespace Wirehub.Browser.Tests;

/// <summary>
/// One headless Chromium for the test run: Debian's /usr/bin/chromium (installed by .ci/install-browser.sh, or set
/// WIREHUB_CHROMIUM), driven by Playwright's bundled driver; no browser download.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        string executable = Environment.GetEnvironmentVariable("WIREHUB_CHROMIUM") ?? "/usr/bin/chromium";
        if (!File.Exists(executable))
            throw new InvalidOperationException($"No Chromium at {executable}: run .ci/install-browser.sh (or set WIREHUB_CHROMIUM).");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = executable,
            Headless = true,
            // Pages of one test share the window manager: keep their timers and animation frames running.
            Args = ["--disable-background-timer-throttling", "--disable-renderer-backgrounding", "--disable-backgrounding-occluded-windows"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class ChromiumCollection : ICollectionFixture<ChromiumFixture>
{
    public const string Name = "chromium";
}
