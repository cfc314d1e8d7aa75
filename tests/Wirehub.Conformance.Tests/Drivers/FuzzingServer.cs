using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Wirehub.Conformance.Tests.Catalogue;
using Wirehub.Conformance.Tests.Engine;
using Wirehub.Conformance.Tests.Wire;

namespace Wirehub.Conformance.Tests.Drivers;

/// <summary>
/// Tests WebSocket clients, following the Autobahn TestSuite fuzzingserver convention so any client can be pointed
/// at it: /getCaseCount sends one text message with the number of cases and closes; /runCase?case=i&amp;agent=NAME
/// runs the i-th case (1-based, catalogue order; casetuple=6.4.1 also works) as the server while the client echoes
/// every message until the server closes; /updateReports?agent=NAME closes normally. Each case's verdict is kept per
/// agent for the tests to read.
/// </summary>
internal sealed class FuzzingServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly IReadOnlyList<CaseDefinition> _cases;
    private readonly Dictionary<string, int> _caseNumbers;
    private readonly HarnessOptions _options;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<(string Agent, string CaseId), TaskCompletionSource<CaseVerdict>> _verdicts = new();
    private readonly ConcurrentDictionary<string, int> _reportRequests = new();
    private readonly ConcurrentDictionary<Task, bool> _connections = new();
    private readonly Task _accepting;

    private FuzzingServer(Socket listener, IReadOnlyList<CaseDefinition> cases, HarnessOptions options)
    {
        _listener = listener;
        _cases = cases;
        _caseNumbers = cases.Select((c, i) => (c.Id, Number: i + 1)).ToDictionary(c => c.Id, c => c.Number);
        _options = options;
        Url = new Uri($"ws://127.0.0.1:{((IPEndPoint)listener.LocalEndPoint!).Port}/");
        _accepting = Task.Run(AcceptAsync);
    }

    /// <summary>The base URL, ws://127.0.0.1:port/.</summary>
    public Uri Url { get; }

    public int CaseCount => _cases.Count;

    /// <summary>Starts listening on a free loopback port, serving <paramref name="cases"/> (default: the whole catalogue).</summary>
    public static FuzzingServer Start(IReadOnlyList<CaseDefinition>? cases = null, HarnessOptions? options = null)
    {
        var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(256);
        return new FuzzingServer(listener, cases ?? CaseCatalogue.All, options ?? HarnessOptions.FromEnvironment());
    }

    /// <summary>The URL a client under test opens to run <paramref name="caseId"/> as <paramref name="agent"/>.</summary>
    public Uri CaseUrl(string caseId, string agent) =>
        _caseNumbers.TryGetValue(caseId, out int number)
            ? new Uri(Url, $"runCase?case={number}&agent={Uri.EscapeDataString(agent)}")
            : throw new ArgumentException($"Case '{caseId}' is not served by this fuzzing server.", nameof(caseId));

    /// <summary>Waits for the verdict of <paramref name="caseId"/> run by <paramref name="agent"/>.</summary>
    public Task<CaseVerdict> VerdictAsync(string agent, string caseId, CancellationToken cancellationToken) =>
        Slot(agent, caseId).Task.WaitAsync(cancellationToken);

    /// <summary>The verdicts recorded so far for <paramref name="agent"/>, by case id.</summary>
    public IReadOnlyDictionary<string, CaseVerdict> VerdictsFor(string agent) =>
        _verdicts.Where(v => v.Key.Agent == agent && v.Value.Task.IsCompletedSuccessfully)
            .ToDictionary(v => v.Key.CaseId, v => v.Value.Task.Result);

    /// <summary>How many times <paramref name="agent"/> asked for its reports to be updated.</summary>
    public int ReportRequests(string agent) => _reportRequests.GetValueOrDefault(agent);

    private TaskCompletionSource<CaseVerdict> Slot(string agent, string caseId) =>
        _verdicts.GetOrAdd((agent, caseId), _ => new TaskCompletionSource<CaseVerdict>(TaskCreationOptions.RunContinuationsAsynchronously));

    private void Record(string agent, CaseVerdict verdict)
    {
        if (Slot(agent, verdict.CaseId).TrySetResult(verdict)) return;
        // A case run again for the same agent: the latest run counts.
        var rerun = new TaskCompletionSource<CaseVerdict>(TaskCreationOptions.RunContinuationsAsynchronously);
        rerun.SetResult(verdict);
        _verdicts[(agent, verdict.CaseId)] = rerun;
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket connection;
            try { connection = await _listener.AcceptAsync(_stopping.Token).ConfigureAwait(false); }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException) { return; }
            var serving = Task.Run(() => ServeAsync(connection));
            _connections[serving] = true;
            _ = serving.ContinueWith(t => _connections.TryRemove(t, out _), TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        socket.NoDelay = true;
        try
        {
            HttpHead head;
            byte[] leftover;
            using (var handshakeTime = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token))
            {
                handshakeTime.CancelAfter(_options.Timeout(5));
                (head, leftover) = await HttpHead.ReadAsync(socket, handshakeTime.Token).ConfigureAwait(false);
            }
            string? invalid = OpeningHandshake.ValidateRequest(head, out string target);
            var (path, query) = SplitTarget(target);
            string? agent = query.GetValueOrDefault("agent");
            switch (path)
            {
                case "/getCaseCount":
                    if (invalid is not null) await RefuseAsync(socket, 400, "Bad Request", invalid).ConfigureAwait(false);
                    else await ServeServiceAsync(socket, head, leftover, s =>
                    {
                        s.Peer.SendMessage(Encoding.UTF8.GetBytes(_cases.Count.ToString(CultureInfo.InvariantCulture)), binary: false);
                        s.Peer.SendClose();
                    }).ConfigureAwait(false);
                    break;
                case "/updateReports":
                    if (invalid is not null || agent is null)
                    {
                        await RefuseAsync(socket, 400, "Bad Request", invalid ?? "/updateReports needs ?agent=NAME: whose reports to update.").ConfigureAwait(false);
                        break;
                    }
                    _reportRequests.AddOrUpdate(agent, 1, (_, n) => n + 1);
                    await ServeServiceAsync(socket, head, leftover, s => s.Peer.SendClose()).ConfigureAwait(false);
                    break;
                case "/runCase":
                    await RunCaseAsync(socket, head, leftover, query, invalid).ConfigureAwait(false);
                    break;
                default:
                    await RefuseAsync(socket, 404, "Not Found",
                        $"'{path}' is not a fuzzing server endpoint; use /getCaseCount, /runCase?case=N&agent=NAME or /updateReports?agent=NAME.").ConfigureAwait(false);
                    break;
            }
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away during the handshake; there is nothing to judge.
        }
        finally
        {
            socket.Dispose();
        }
    }

    private async Task RunCaseAsync(Socket socket, HttpHead head, byte[] leftover, Dictionary<string, string> query, string? invalid)
    {
        CaseDefinition? definition = null;
        if (query.TryGetValue("case", out var number) && int.TryParse(number, out int index) && index >= 1 && index <= _cases.Count)
            definition = _cases[index - 1];
        else if (query.TryGetValue("casetuple", out var id))
            definition = _cases.FirstOrDefault(c => c.Id == id);
        string? agent = query.GetValueOrDefault("agent");
        if (definition is null || agent is null)
        {
            await RefuseAsync(socket, 400, "Bad Request", definition is null
                ? $"/runCase needs ?case=N with N from 1 to {_cases.Count} (or ?casetuple=ID); got '{number}'."
                : "/runCase needs &agent=NAME: the name the verdicts are recorded under.").ConfigureAwait(false);
            return;
        }
        if (invalid is not null)
        {
            Record(agent, CaseVerdict.HandshakeFailed(definition, invalid));
            await RefuseAsync(socket, 400, "Bad Request", invalid).ConfigureAwait(false);
            return;
        }

        var fuzzCase = definition.Create();
        DeflateAccept? accept = null;
        try
        {
            var offers = ExtensionHeader.ParseList(head["Sec-WebSocket-Extensions"])
                .Where(e => e.Name == DeflateOffer.ExtensionName)
                .Select(DeflateOffer.Parse)
                .ToList();
            if (offers.Count > 0 && fuzzCase.Compression is { } setup) accept = setup.ServerAccept(offers);
        }
        catch (FormatException e)
        {
            Record(agent, CaseVerdict.HandshakeFailed(definition, e.Message));
            await RefuseAsync(socket, 400, "Bad Request", e.Message).ConfigureAwait(false);
            return;
        }

        string response = OpeningHandshake.BuildResponse(head["Sec-WebSocket-Key"]!, accept?.ToString());
        await socket.SendAsync(Encoding.ASCII.GetBytes(response), SocketFlags.None).ConfigureAwait(false);
        var peer = new FuzzingPeer(socket, PeerRole.Server, fuzzCase, _options, accept?.CreateServerCodec(), accept?.ToString());
        await peer.RunAsync(leftover, _options.CaseTimeout, _stopping.Token).ConfigureAwait(false);
        Record(agent, CaseVerdict.Judged(definition, fuzzCase, peer));
    }

    private async Task ServeServiceAsync(Socket socket, HttpHead head, byte[] leftover, Action<ServiceConnection> onOpen)
    {
        string response = OpeningHandshake.BuildResponse(head["Sec-WebSocket-Key"]!, extensions: null);
        await socket.SendAsync(Encoding.ASCII.GetBytes(response), SocketFlags.None).ConfigureAwait(false);
        var peer = new FuzzingPeer(socket, PeerRole.Server, new ServiceConnection(onOpen), _options, compression: null, negotiatedExtensions: null);
        await peer.RunAsync(leftover, _options.Timeout(10), _stopping.Token).ConfigureAwait(false);
    }

    private static async Task RefuseAsync(Socket socket, int status, string reasonPhrase, string message)
    {
        await socket.SendAsync(Encoding.UTF8.GetBytes(OpeningHandshake.BuildRefusal(status, reasonPhrase, message)), SocketFlags.None).ConfigureAwait(false);
        try { socket.Shutdown(SocketShutdown.Send); } catch (SocketException) { }
    }

    private static (string Path, Dictionary<string, string> Query) SplitTarget(string target)
    {
        int mark = target.IndexOf('?');
        string path = mark < 0 ? target : target[..mark];
        var query = new Dictionary<string, string>(StringComparer.Ordinal);
        if (mark >= 0)
        {
            foreach (var pair in target[(mark + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                int equals = pair.IndexOf('=');
                string key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
                query[key] = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
            }
        }
        return (path, query);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        await _accepting.ConfigureAwait(false);
        try { await Task.WhenAll(_connections.Keys).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false); }
        catch (TimeoutException) { }
        _stopping.Dispose();
    }
}
