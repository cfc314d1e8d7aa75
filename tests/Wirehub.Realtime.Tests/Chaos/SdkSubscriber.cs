using Wirehub.Realtime.Client;

namespace Wirehub.Realtime.Tests.Chaos;

/// <summary>A <see cref="RealtimeClient"/> subscribed to one channel, recording what it delivers and why it disconnected.</summary>
internal sealed class SdkSubscriber : IAsyncDisposable
{
    private readonly List<ushort?> _closeCodes = [];
    private int _continuityLosses;

    private SdkSubscriber(string name, RealtimeClient client)
    {
        Name = name;
        Client = client;
        client.StateChanged += (_, e) =>
        {
            if (e.Current == RealtimeClientState.Reconnecting) lock (_closeCodes) _closeCodes.Add(e.CloseCode);
        };
    }

    public string Name { get; }

    public RealtimeClient Client { get; }

    public DeliveryLog Log { get; } = new();

    /// <summary>The close code of every connection the client lost (null when it dropped without one).</summary>
    public IReadOnlyList<ushort?> CloseCodes
    {
        get { lock (_closeCodes) return [.. _closeCodes]; }
    }

    public int ContinuityLosses => Volatile.Read(ref _continuityLosses);

    public bool IsConnected => Client.State == RealtimeClientState.Connected;

    public static RealtimeClient CreateClient(Uri url) => new(url, new RealtimeClientOptions
    {
        ReconnectInitialDelay = TimeSpan.FromMilliseconds(20),
        ReconnectMaxDelay = TimeSpan.FromMilliseconds(200),
        // Requests wait out every reconnect of a chaotic run; only a hung run hits this.
        SendTimeout = TimeSpan.FromMinutes(2),
    });

    public static async Task<SdkSubscriber> StartAsync(string name, Uri url, string channel)
    {
        var subscriber = new SdkSubscriber(name, CreateClient(url));
        await subscriber.Client.ConnectAsync();
        var feed = subscriber.Client.Channel(channel);
        feed.ContinuityLost += (_, _) => Interlocked.Increment(ref subscriber._continuityLosses);
        await feed.SubscribeAsync(m => subscriber.Log.Add(m.Serial, NumberedMessage.NumberOf(m.Data)));
        return subscriber;
    }

    public ValueTask DisposeAsync() => Client.DisposeAsync();
}
