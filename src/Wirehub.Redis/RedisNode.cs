using System.Globalization;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using Wirehub.Realtime.Broker;
using Wirehub.Realtime.Server;

namespace Wirehub.Redis;

/// <summary>
/// This node's presence in Redis: its one multiplexed connection (shared by the broker, the presence store and the
/// session store), its heartbeat, the reaping of dead nodes' presence, and the bound on operations waiting for Redis.
/// </summary>
public sealed class RedisNode : IAsyncDisposable, IDisposable
{
    private readonly ConnectionMultiplexer _connection;
    private readonly IDatabase _database;
    private readonly ILogger? _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _heartbeat;
    private int _pending;
    private int _shardedMode = -1;
    private bool _hasBeaten;
    private RealtimeOptions? _secretHolder;

    private RedisNode(ConnectionMultiplexer connection, RedisBrokerOptions options, ILogger? logger)
    {
        _connection = connection;
        _database = connection.GetDatabase();
        _logger = logger;
        Options = options;
        Keys = new RedisKeys(options.KeyPrefix);
        connection.ConnectionFailed += OnConnectionFailed;
        connection.ConnectionRestored += OnConnectionRestored;
        _heartbeat = Task.Run(() => BeatAsync(_stopping.Token));
    }

    /// <summary>
    /// Connects to Redis (<paramref name="configuration"/> as StackExchange.Redis parses it, e.g. <c>localhost:6379</c>).
    /// An unreachable Redis does not fail the start: the node keeps reconnecting, and operations fail as unavailable
    /// meanwhile.
    /// </summary>
    public static RedisNode Connect(string configuration, RedisBrokerOptions? options = null, ILogger? logger = null)
    {
        options ??= new RedisBrokerOptions();
        return new RedisNode(ConnectionMultiplexer.Connect(Configure(configuration, options)), options, logger);
    }

    /// <inheritdoc cref="Connect"/>
    public static async Task<RedisNode> ConnectAsync(string configuration, RedisBrokerOptions? options = null, ILogger? logger = null)
    {
        options ??= new RedisBrokerOptions();
        var connection = await ConnectionMultiplexer.ConnectAsync(Configure(configuration, options)).ConfigureAwait(false);
        return new RedisNode(connection, options, logger);
    }

    /// <summary>This node's id in Redis.</summary>
    public string NodeId => Options.NodeId;

    /// <summary>Whether the connection to Redis is up.</summary>
    public bool IsConnected => _connection.IsConnected;

    /// <summary>Operations waiting for Redis now (at most <see cref="RedisBrokerOptions.MaxPendingOperations"/>).</summary>
    public int PendingOperations => Volatile.Read(ref _pending);

    internal RedisBrokerOptions Options { get; }
    internal RedisKeys Keys { get; }
    internal ISubscriber Subscriber => _connection.GetSubscriber();

    /// <summary>Raised when the pub/sub connection is back after a failure, once its subscriptions were sent again.</summary>
    internal event Action? SubscriptionsRestored;

    /// <summary>Raised after every heartbeat (for tests that wait for a reaping round).</summary>
    internal event Action? Beaten;

    /// <summary>
    /// Makes <paramref name="realtime"/> use the recovery-key secret stored in Redis, storing its own when none is, so
    /// every node sharing the Redis verifies every node's recovery keys. Done now when Redis is reachable, and again each
    /// time the connection comes back (a Redis restarted without persistence gets the secret back).
    /// </summary>
    public void ShareRecoveryKeySecret(RealtimeOptions realtime)
    {
        ArgumentNullException.ThrowIfNull(realtime);
        _secretHolder = realtime;
        if (!_connection.IsConnected) return;
        try
        {
            var stored = (byte[]?)_database.ScriptEvaluate(NodeScripts.ShareSecret, [Keys.RecoverySecret], [realtime.RecoveryKeySecret]);
            if (stored is { Length: > 0 }) realtime.RecoveryKeySecret = stored;
        }
        catch (Exception ex) when (IsUnavailable(ex))
        {
            _logger?.LogWarning("Redis did not share the recovery-key secret yet ({Reason}); retrying when the connection is back.", ex.Message);
        }
    }

    private async Task ShareRecoveryKeySecretAsync()
    {
        if (_secretHolder is not { } realtime) return;
        try
        {
            var stored = (byte[]?)await EvaluateAsync(NodeScripts.ShareSecret, [Keys.RecoverySecret], [realtime.RecoveryKeySecret], "recovery-key secret")
                .ConfigureAwait(false);
            if (stored is { Length: > 0 }) realtime.RecoveryKeySecret = stored;
        }
        catch (BrokerUnavailableException)
        {
        }
    }

    /// <summary>Whether pub/sub is sharded; decided at the first connection (all nodes ask the same server, so they agree).</summary>
    /// <exception cref="BrokerUnavailableException">Redis has not been reached yet.</exception>
    internal bool Sharded
    {
        get
        {
            int mode = Volatile.Read(ref _shardedMode);
            if (mode < 0) mode = ResolvePubSubMode();
            return mode switch
            {
                1 => true,
                0 => false,
                _ => throw new BrokerUnavailableException("Redis has not been reached yet, so this node cannot publish or subscribe. Retry later."),
            };
        }
    }

    internal string ShardedFlag => Sharded ? "1" : "0";

    internal RedisChannel NotifyChannel(string channel)
    {
        string name = Keys.Notify(channel);
        return Sharded ? RedisChannel.Sharded(name) : RedisChannel.Literal(name);
    }

    private int ResolvePubSubMode()
    {
        int mode = -1;
        if (Options.ShardedPubSub is bool configured)
        {
            mode = configured ? 1 : 0;
        }
        else
        {
            foreach (var server in _connection.GetServers())
            {
                if (!server.IsConnected || server.IsReplica) continue;
                mode = server.Features.ShardedPubSub ? 1 : 0;
                break;
            }
        }
        if (mode >= 0) Interlocked.CompareExchange(ref _shardedMode, mode, -1);
        return Volatile.Read(ref _shardedMode);
    }

    /// <summary>
    /// Runs a script, counting it among the operations waiting for Redis: beyond the bound it is refused without being
    /// sent; a connection failure or a timeout becomes <see cref="BrokerUnavailableException"/>.
    /// </summary>
    internal async Task<RedisResult> EvaluateAsync(string script, RedisKey[] keys, RedisValue[] values, string operation)
    {
        Admit(operation);
        try
        {
            return await _database.ScriptEvaluateAsync(script, keys, values).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsUnavailable(ex))
        {
            throw Unavailable(operation, ex);
        }
        finally
        {
            Interlocked.Decrement(ref _pending);
        }
    }

    /// <summary>Like <see cref="EvaluateAsync"/>, for a pub/sub operation.</summary>
    internal async Task<T> RunAsync<T>(Func<ISubscriber, Task<T>> operation, string name)
    {
        Admit(name);
        try
        {
            return await operation(_connection.GetSubscriber()).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsUnavailable(ex))
        {
            throw Unavailable(name, ex);
        }
        finally
        {
            Interlocked.Decrement(ref _pending);
        }
    }

    private void Admit(string operation)
    {
        if (Interlocked.Increment(ref _pending) <= Options.MaxPendingOperations) return;
        Interlocked.Decrement(ref _pending);
        throw new BrokerUnavailableException(
            $"Redis is not keeping up: {Options.MaxPendingOperations} operations of this node are already waiting for it, so this {operation} was refused without being sent. Retry later.");
    }

    private BrokerUnavailableException Unavailable(string operation, Exception ex) => ex is RedisTimeoutException
        ? new BrokerUnavailableException(
            $"Redis did not answer this {operation} within {Options.OperationTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s. Retry later.", ex)
        : new BrokerUnavailableException($"Redis is unavailable ({ex.Message}); this {operation} was not done. Retry later.", ex);

    /// <summary>Failures that pass: a lost connection, a timeout, or a server that is loading, read-only or out of memory.</summary>
    internal static bool IsUnavailable(Exception ex) => ex switch
    {
        RedisConnectionException or RedisTimeoutException or ObjectDisposedException => true,
        RedisServerException server => server.Message.StartsWith("LOADING", StringComparison.Ordinal)
            || server.Message.StartsWith("BUSY", StringComparison.Ordinal)
            || server.Message.StartsWith("READONLY", StringComparison.Ordinal)
            || server.Message.StartsWith("MASTERDOWN", StringComparison.Ordinal)
            || server.Message.StartsWith("TRYAGAIN", StringComparison.Ordinal)
            || server.Message.StartsWith("CLUSTERDOWN", StringComparison.Ordinal)
            || server.Message.StartsWith("MISCONF", StringComparison.Ordinal)
            || server.Message.StartsWith("OOM", StringComparison.Ordinal),
        _ => false,
    };

    private async Task BeatAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(Options.HeartbeatInterval);
        try
        {
            do
            {
                await BeatOnceAsync().ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Tells Redis this node is alive, then reaps the presence of nodes that are not.</summary>
    internal async Task BeatOnceAsync()
    {
        try
        {
            var added = (long)await EvaluateAsync(NodeScripts.Heartbeat, [Keys.Nodes], [NodeId], "heartbeat").ConfigureAwait(false);
            if (added == 1 && _hasBeaten)
                _logger?.LogWarning("Node {Node} was silent longer than the node timeout and was presumed dead: its presence entries were removed.", NodeId);
            _hasBeaten = true;
            var timeout = ((long)Options.NodeTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
            for (int round = 0; round < 64; round++)
            {
                var handled = (long)await EvaluateAsync(NodeScripts.Reap, [Keys.Nodes], [Keys.Prefix, timeout, ShardedFlag, 256], "presence reaping")
                    .ConfigureAwait(false);
                if (handled == 0) break;
            }
        }
        catch (BrokerUnavailableException)
        {
            // The next beat tries again.
        }
        catch (Exception ex)
        {
            _logger?.LogError(ex, "The heartbeat of node {Node} failed.", NodeId);
        }
        Beaten?.Invoke();
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e) =>
        _logger?.LogWarning("Redis connection lost ({Type}, {Failure}): operations fail as unavailable until it is back.", e.ConnectionType, e.FailureType);

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        _logger?.LogInformation("Redis connection restored ({Type}).", e.ConnectionType);
        ResolvePubSubMode();
        if (e.ConnectionType == ConnectionType.Subscription)
        {
            SubscriptionsRestored?.Invoke();
        }
        else
        {
            _ = ShareRecoveryKeySecretAsync();
            _ = BeatOnceAsync();
        }
    }

    private static ConfigurationOptions Configure(string configuration, RedisBrokerOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        if (options.ClockSkewAllowance >= options.OperationTimeout)
            throw new ArgumentException(
                $"ClockSkewAllowance ({options.ClockSkewAllowance}) must be below OperationTimeout ({options.OperationTimeout}): a publish's deadline in Redis is their difference.",
                nameof(options));
        if (options.NodeTimeout <= options.HeartbeatInterval)
            throw new ArgumentException(
                $"NodeTimeout ({options.NodeTimeout}) must exceed HeartbeatInterval ({options.HeartbeatInterval}), or live nodes are taken for dead.",
                nameof(options));
        var config = ConfigurationOptions.Parse(configuration);
        // Start and keep running without Redis; fail each operation at once while disconnected rather than queueing it.
        config.AbortOnConnectFail = false;
        config.BacklogPolicy = BacklogPolicy.FailFast;
        config.AsyncTimeout = config.SyncTimeout = (int)options.OperationTimeout.TotalMilliseconds;
        config.ClientName ??= "wirehub-" + options.NodeId;
        config.ReconnectRetryPolicy ??= new ExponentialRetry(250, 2000);
        return config;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested) return;
        _stopping.Cancel();
        await _heartbeat.ConfigureAwait(false);
        _connection.ConnectionFailed -= OnConnectionFailed;
        _connection.ConnectionRestored -= OnConnectionRestored;
        await _connection.CloseAsync().ConfigureAwait(false);
        _connection.Dispose();
        _stopping.Dispose();
    }

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
