using Wirehub.Realtime.Protocol;
using Wirehub.WebSockets;

namespace Wirehub.Realtime.Broker;

/// <summary>
/// A message published to a channel, as stored in its history and delivered to subscribers. <see cref="Data"/> holds the
/// raw JSON bytes exactly as published: they are never re-serialised.
/// </summary>
public sealed class ChannelMessage
{
    private PreparedMessage? _push;

    /// <summary>Creates a message.</summary>
    public ChannelMessage(string channel, long serial, string epoch, string id, long time, PublisherIdentity? publisher,
        ReadOnlyMemory<byte> data)
    {
        Channel = channel;
        Serial = serial;
        Epoch = epoch;
        Id = id;
        Time = time;
        Publisher = publisher;
        Data = data;
    }

    /// <summary>The channel the message was published to.</summary>
    public string Channel { get; }

    /// <summary>The serial assigned by the broker.</summary>
    public long Serial { get; }

    /// <summary>The epoch of the stream that assigned <see cref="Serial"/>.</summary>
    public string Epoch { get; }

    /// <summary>The publisher's message id, or one assigned by the server.</summary>
    public string Id { get; }

    /// <summary>Publish time in Unix milliseconds.</summary>
    public long Time { get; }

    /// <summary>The publishing connection; null for server-side publishes.</summary>
    public PublisherIdentity? Publisher { get; }

    /// <summary>The message's <c>data</c>: one JSON value, UTF-8, as published.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>The position of this message in its stream.</summary>
    public StreamPosition Position => new(Serial, Epoch);

    /// <summary>
    /// The <c>message</c> push of this message, framed once: every subscriber on every connection gets the same bytes.
    /// </summary>
    internal PreparedMessage Push
    {
        get
        {
            var push = Volatile.Read(ref _push);
            if (push is not null) return push;
            // Racing builders produce identical frames; keeping the first keeps one instance in circulation.
            push = ServerFrameWriter.PrepareMessagePush(this);
            return Interlocked.CompareExchange(ref _push, push, null) ?? push;
        }
    }
}
