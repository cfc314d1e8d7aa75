using System.Collections.Concurrent;
using System.Security.Cryptography;
using Wirehub.Realtime.Channels;

namespace Wirehub.Realtime.Broker;

/// <summary>
/// A single-node broker: channel streams in memory, bounded per namespace by count and age, reclaimed when empty. A
/// stream created anew (first publish, or after its history was dropped) gets a fresh random epoch, so positions of the
/// lost stream are never mistaken for positions in the new one.
/// </summary>
public sealed class InMemoryBroker : IBroker, IBrokerHealth, IDisposable
{
    private readonly ConcurrentDictionary<string, ChannelStream> _streams = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _subscribed = new(StringComparer.Ordinal);
    private readonly Func<string, NamespaceOptions> _rulesOf;
    private readonly InMemoryBrokerOptions _options;
    private readonly TimeProvider _time;
    private readonly ITimer? _sweep;
    private IBrokerEventHandler? _handler;
    private long _nextServerId;

    /// <summary>Creates a broker; <paramref name="rulesOf"/> gives the history bounds of a channel's namespace.</summary>
    public InMemoryBroker(Func<string, NamespaceOptions> rulesOf, InMemoryBrokerOptions? options = null, TimeProvider? time = null)
    {
        _rulesOf = rulesOf ?? throw new ArgumentNullException(nameof(rulesOf));
        _options = options ?? new InMemoryBrokerOptions();
        _time = time ?? TimeProvider.System;
        if (_options.SweepInterval > TimeSpan.Zero)
            _sweep = _time.CreateTimer(_ => Sweep(), null, _options.SweepInterval, _options.SweepInterval);
    }

    /// <inheritdoc />
    public void SetEventHandler(IBrokerEventHandler handler) => _handler = handler;

    /// <inheritdoc />
    public ValueTask<PublishResult> PublishAsync(string channel, ReadOnlyMemory<byte> data, string? messageId,
        PublisherIdentity? publisher, CancellationToken cancellationToken = default)
    {
        long now = Now;
        while (true)
        {
            var stream = StreamOf(channel);
            lock (stream.Gate)
            {
                if (stream.Reclaimed) continue;
                stream.Expire(now, _options);
                if (messageId is not null && stream.TryFindDuplicate(messageId, out var original))
                    return new(new PublishResult(original, true));
                string serverId = "s-" + Interlocked.Increment(ref _nextServerId).ToString(System.Globalization.CultureInfo.InvariantCulture);
                var message = stream.Append(data, messageId, serverId, publisher, now, _options);
                // Delivered under the stream's lock: nodes see a channel's messages in serial order.
                if (_subscribed.ContainsKey(channel)) _handler?.OnMessage(message);
                return new(new PublishResult(message, false));
            }
        }
    }

    /// <inheritdoc />
    public ValueTask SubscribeAsync(string channel, CancellationToken cancellationToken = default)
    {
        _subscribed.TryAdd(channel, 0);
        return default;
    }

    /// <inheritdoc />
    public ValueTask UnsubscribeAsync(string channel, CancellationToken cancellationToken = default)
    {
        _subscribed.TryRemove(channel, out _);
        return default;
    }

    /// <inheritdoc />
    public ValueTask<HistoryResult> HistoryAsync(string channel, HistoryQuery query, CancellationToken cancellationToken = default)
    {
        var stream = StreamOf(channel);
        lock (stream.Gate)
        {
            stream.Expire(Now, _options);
            return new(stream.Read(query));
        }
    }

    /// <inheritdoc />
    public ValueTask<StreamPosition> PositionAsync(string channel, CancellationToken cancellationToken = default)
    {
        var stream = StreamOf(channel);
        lock (stream.Gate) return new(stream.Position);
    }

    /// <summary>Expires history and reclaims the streams with nothing left (runs on a timer; callable directly).</summary>
    public void Sweep()
    {
        long now = Now;
        foreach (var (channel, stream) in _streams)
        {
            lock (stream.Gate)
            {
                stream.Expire(now, _options);
                if (!stream.IsEmpty) continue;
                if (now - stream.LastPublishTime < (long)stream.Rules.HistoryTtl.TotalMilliseconds) continue;
                stream.Reclaimed = true;
                _streams.TryRemove(new KeyValuePair<string, ChannelStream>(channel, stream));
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>Always true: the streams live in this process.</remarks>
    public ValueTask<bool> IsAvailableAsync(CancellationToken cancellationToken = default) => new(true);

    /// <summary>Delivers a presence event to this node when it is subscribed to the channel.</summary>
    internal void DeliverPresence(PresenceEvent presenceEvent)
    {
        if (_subscribed.ContainsKey(presenceEvent.Channel)) _handler?.OnPresence(presenceEvent);
    }

    /// <summary>Number of streams held (for tests of reclamation).</summary>
    internal int StreamCount => _streams.Count;

    /// <inheritdoc />
    public void Dispose() => _sweep?.Dispose();

    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private ChannelStream StreamOf(string channel)
    {
        if (_streams.TryGetValue(channel, out var stream)) return stream;
        if (_streams.Count >= _options.MaxChannels)
        {
            Sweep();
            if (_streams.Count >= _options.MaxChannels)
                throw new BrokerUnavailableException(
                    $"The broker holds its maximum of {_options.MaxChannels} channels; raise InMemoryBrokerOptions.MaxChannels or shorten history TTLs.");
        }
        return _streams.GetOrAdd(channel, static (name, self) => new ChannelStream(name, NewEpoch(), self._rulesOf(name)), this);
    }

    private static string NewEpoch()
    {
        Span<byte> bytes = stackalloc byte[6];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToHexStringLower(bytes);
    }
}
