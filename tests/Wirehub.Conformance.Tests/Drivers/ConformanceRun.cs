using Wirehub.Conformance.Tests.Catalogue;
using Wirehub.Conformance.Tests.Engine;

namespace Wirehub.Conformance.Tests.Drivers;

/// <summary>
/// Runs the catalogue against one system under test in the background, a few cases at a time in catalogue order
/// (section 9 cases one at a time, since each moves megabytes), so that one xunit test per case only has to await
/// its own verdict.
/// </summary>
internal sealed class ConformanceRun
{
    private readonly Dictionary<string, Task<CaseVerdict>> _verdicts = new();
    private readonly SemaphoreSlim _slots;
    private readonly SemaphoreSlim _heavy = new(1);
    private readonly Func<CaseDefinition, CancellationToken, Task<CaseVerdict>> _runCase;
    private readonly CancellationToken _cancellationToken;

    private ConformanceRun(IReadOnlyList<CaseDefinition> cases, Func<CaseDefinition, CancellationToken, Task<CaseVerdict>> runCase,
        HarnessOptions options, CancellationToken cancellationToken)
    {
        _slots = new SemaphoreSlim(options.MaxParallelCases);
        _runCase = runCase;
        _cancellationToken = cancellationToken;
        foreach (var definition in cases) _verdicts[definition.Id] = RunOneAsync(definition);
    }

    /// <summary>Tests a server: every case through the fuzzing client against <paramref name="server"/>.</summary>
    public static ConformanceRun AgainstServer(Uri server, HarnessOptions options, IReadOnlyList<CaseDefinition>? cases = null,
        CancellationToken cancellationToken = default) =>
        new(cases ?? CaseCatalogue.All, (definition, token) => FuzzingClient.RunAsync(server, definition, options, token), options, cancellationToken);

    /// <summary>
    /// Tests a client: for every case <paramref name="client"/> is given the case URL of <paramref name="server"/>
    /// ("connect and echo every message until the server closes") and the server's verdict is collected.
    /// </summary>
    public static ConformanceRun AgainstClient(FuzzingServer server, string agent, Func<Uri, CancellationToken, Task> client, HarnessOptions options,
        IReadOnlyList<CaseDefinition>? cases = null, CancellationToken cancellationToken = default) =>
        new(cases ?? CaseCatalogue.All, (definition, token) => RunClientCaseAsync(server, agent, client, definition, options, token), options, cancellationToken);

    public Task<CaseVerdict> VerdictAsync(string caseId) =>
        _verdicts.TryGetValue(caseId, out var verdict)
            ? verdict
            : throw new ArgumentException($"Case '{caseId}' is not part of this run.", nameof(caseId));

    public Task<CaseVerdict[]> AllVerdictsAsync() => Task.WhenAll(_verdicts.Values);

    private async Task<CaseVerdict> RunOneAsync(CaseDefinition definition)
    {
        await Task.Yield();
        if (definition.Heavy) await _heavy.WaitAsync(_cancellationToken).ConfigureAwait(false);
        try
        {
            await _slots.WaitAsync(_cancellationToken).ConfigureAwait(false);
            try { return await _runCase(definition, _cancellationToken).ConfigureAwait(false); }
            catch (Exception e) when (e is not OperationCanceledException || !_cancellationToken.IsCancellationRequested)
            {
                return CaseVerdict.NotRun(definition, $"The harness failed to run the case (a bug in the conformance suite): {e}");
            }
            finally { _slots.Release(); }
        }
        finally
        {
            if (definition.Heavy) _heavy.Release();
        }
    }

    private static async Task<CaseVerdict> RunClientCaseAsync(FuzzingServer server, string agent, Func<Uri, CancellationToken, Task> client,
        CaseDefinition definition, HarnessOptions options, CancellationToken cancellationToken)
    {
        using var clientLifetime = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var verdict = server.VerdictAsync(agent, definition.Id, cancellationToken);
        var url = server.CaseUrl(definition.Id, agent);
        var running = Task.Run(() => client(url, clientLifetime.Token), CancellationToken.None);

        CaseVerdict result;
        try
        {
            result = await verdict.WaitAsync(options.CaseTimeout + options.Timeout(5), cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await clientLifetime.CancelAsync().ConfigureAwait(false);
            string how = running.IsFaulted ? $"it failed with {running.Exception!.InnerException!.GetType().Name}: {running.Exception.InnerException.Message}" : "it never connected";
            return CaseVerdict.NotRun(definition, $"The client under test never ran the case at {url}: {how}.");
        }

        // The verdict is in once the server saw the TCP connection close; the client should be done by now too.
        string? note = null;
        try { await running.WaitAsync(options.Timeout(2), cancellationToken).ConfigureAwait(false); }
        catch (TimeoutException)
        {
            note = "The client under test was still running after the server had closed the connection.";
            await clientLifetime.CancelAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            note = $"The client under test ended with {e.GetType().Name}: {e.Message}";
        }
        return note is null ? result : result with { Details = $"  {note}{Environment.NewLine}{result.Details}" };
    }
}
