using System.Text.RegularExpressions;

namespace Wirehub.Cli.Tests.Support;

/// <summary>A running <c>wirehub serve</c>, once it has printed the address it listens on.</summary>
internal sealed partial class ServeProcess : IAsyncDisposable
{
    /// <summary>The publish key of servers started by <see cref="StartLocalAsync"/>.</summary>
    public const string TestApiKey = "cli-tests-publish-key";

    private ServeProcess(WirehubProcess process, Uri url)
    {
        Process = process;
        Url = url;
    }

    public WirehubProcess Process { get; }

    /// <summary>The base URL printed at start: http://127.0.0.1:PORT (https:// with TLS).</summary>
    public Uri Url { get; }

    public string HttpUrl => Url.ToString().TrimEnd('/');

    /// <summary>The ws:// (or wss://) URL of <paramref name="path"/>.</summary>
    public string WebSocketUrl(string path) => $"{(Url.Scheme == "https" ? "wss" : "ws")}://{Url.Authority}{path}";

    /// <summary>Starts <c>wirehub serve</c> on a free loopback port with <see cref="TestApiKey"/>, plus <paramref name="arguments"/>.</summary>
    public static Task<ServeProcess> StartLocalAsync(params string[] arguments) =>
        StartAsync(["--host", "127.0.0.1", "--port", "0", "--api-key", TestApiKey, .. arguments]);

    /// <summary>Starts <c>wirehub serve <paramref name="arguments"/></c> and waits until it listens.</summary>
    public static async Task<ServeProcess> StartAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null,
        string? workingDirectory = null)
    {
        var process = WirehubProcess.Start(["serve", .. arguments], environment, workingDirectory);
        try
        {
            string line = await process.WaitForStdoutAsync(l => l.StartsWith("wirehub serve listening on ", StringComparison.Ordinal), "listening line");
            return new ServeProcess(process, new Uri(ListeningUrl().Match(line).Groups[1].Value));
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    [GeneratedRegex(@"listening on (\S+)")]
    private static partial Regex ListeningUrl();

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
