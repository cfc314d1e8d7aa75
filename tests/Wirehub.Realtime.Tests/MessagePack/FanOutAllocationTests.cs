using System.Buffers;
using MessagePack;
using Wirehub.Realtime.Broker;
using Wirehub.Realtime.Protocol;
using Wirehub.Realtime.Server;
using Wirehub.Realtime.Server.Transports;
using Wirehub.WebSockets;

namespace Wirehub.Realtime.Tests.MessagePack;

/// <summary>
/// A fan-out frames each message at most once per encoding in use: MessagePack subscribers share one binary frame, and
/// delivering to more of them allocates nothing more.
/// </summary>
public sealed class FanOutAllocationTests : IDisposable
{
    private const string Channel = "room:fan";
    private readonly List<RealtimeHub> _hubs = [];

    /// <summary>Records the shared frames a session sends, without allocating.</summary>
    private sealed class RecordingTransport : IRealtimeTransport
    {
        public PreparedMessage? Last { get; private set; }
        public int Sent { get; private set; }

        public bool IsEmulated => false;
        public long QueuedBytes => 0;
        public ValueTask<TransportMessage> ReceiveAsync(CancellationToken cancellationToken) => new(TransportMessage.Closed(byClient: false));

        public void Send(PreparedMessage message)
        {
            Last = message;
            Sent++;
        }

        public ValueTask SendAsync(PooledFrame frame)
        {
            frame.Dispose();
            return default;
        }

        public ValueTask CloseAsync(ushort code, string reason) => default;
        public void CloseOutput(ushort code, string reason) { }
    }

    private async Task<(IBrokerEventHandler Hub, RecordingTransport[] Json, RecordingTransport[] Binary)> HubAsync(int json, int binary)
    {
        var options = new RealtimeOptions();
        var broker = new InMemoryBroker(options.RulesOf);
        var hub = new RealtimeHub(options, broker, new InMemoryPresenceStore(broker));
        _hubs.Add(hub);
        async Task<RecordingTransport> SubscribeAsync(FrameEncoding encoding)
        {
            var transport = new RecordingTransport();
            var subscription = new Subscription(new RealtimeSession(hub, transport, encoding), Channel);
            await hub.AddSubscriberAsync(subscription);
            await subscription.GoLiveAsync(new StreamPosition(0, "e"), []);
            return transport;
        }
        var jsonTransports = new RecordingTransport[json];
        for (int i = 0; i < json; i++) jsonTransports[i] = await SubscribeAsync(FrameEncoding.Json);
        var binaryTransports = new RecordingTransport[binary];
        for (int i = 0; i < binary; i++) binaryTransports[i] = await SubscribeAsync(FrameEncoding.MessagePack);
        return (hub, jsonTransports, binaryTransports);
    }

    private static ChannelMessage Message(long serial) =>
        new(Channel, serial, "e", $"m-{serial}", 1764000000000, new PublisherIdentity("c-1", "k-1"), "{\"n\":1,\"ratio\":2.5,\"tags\":[\"a\"]}"u8.ToArray());

    /// <summary>The fewest bytes allocated delivering one new message, over several (a table growing now and then is not the fan-out).</summary>
    private static long FewestBytesPerMessage(IBrokerEventHandler hub, long firstSerial)
    {
        long fewest = long.MaxValue;
        for (long serial = firstSerial; serial < firstSerial + 8; serial++)
        {
            var message = Message(serial);
            long before = GC.GetAllocatedBytesForCurrentThread();
            hub.OnMessage(message);
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return fewest;
    }

    [Fact]
    public async Task Fan_out_to_1000_MessagePack_subscribers_allocates_no_more_than_to_10()
    {
        var (few, _, fewTransports) = await HubAsync(json: 0, binary: 10);
        var (many, _, manyTransports) = await HubAsync(json: 0, binary: 1000);
        FewestBytesPerMessage(few, 1);
        FewestBytesPerMessage(many, 1);

        long forFew = FewestBytesPerMessage(few, 100);
        long forMany = FewestBytesPerMessage(many, 100);

        Assert.All(manyTransports.Concat(fewTransports), t => Assert.Equal(16, t.Sent));
        // The frames of the message itself, once; any allocation per subscriber would add 990 times its size.
        Assert.True(forFew > 0, "Delivering a new message frames it.");
        Assert.True(forMany - forFew < 990, $"10 subscribers: {forFew} bytes; 1000 subscribers: {forMany} bytes per message.");
    }

    [Fact]
    public async Task Fan_out_prepares_one_frame_per_encoding_in_use()
    {
        var (hub, json, binary) = await HubAsync(json: 3, binary: 3);

        hub.OnMessage(Message(1));

        var text = json[0].Last!;
        var packed = binary[0].Last!;
        Assert.All(json, t => Assert.Same(text, t.Last));
        Assert.All(binary, t => Assert.Same(packed, t.Last));
        Assert.Equal((MessageType.Text, MessageType.Binary), (text.Type, packed.Type));
        Assert.Equal(
            "{\"type\":\"message\",\"channel\":\"room:fan\",\"serial\":1,\"epoch\":\"e\",\"id\":\"m-1\",\"time\":1764000000000,"
            + "\"publisher\":{\"clientId\":\"c-1\",\"connectionId\":\"k-1\"},\"data\":{\"n\":1,\"ratio\":2.5,\"tags\":[\"a\"]}}",
            MessagePackSerializer.ConvertToJson(packed.Payload));
    }

    [Fact]
    public async Task A_message_replayed_later_reuses_its_binary_frame()
    {
        var (hub, _, binary) = await HubAsync(json: 0, binary: 1);
        var message = Message(1);
        hub.OnMessage(message);
        var live = binary[0].Last;

        var (late, _, lateBinary) = await HubAsync(json: 0, binary: 1);
        late.OnMessage(message);

        Assert.Same(live, lateBinary[0].Last);
    }

    [Fact]
    public async Task Presence_event_fan_out_prepares_one_frame_per_encoding_in_use()
    {
        var (hub, json, binary) = await HubAsync(json: 2, binary: 2);

        hub.OnPresence(new PresenceEvent(Channel, PresenceAction.Enter, new PresenceMember("ada", "k-9", "{\"name\":\"Ada\"}"u8.ToArray())));

        Assert.Same(json[0].Last, json[1].Last);
        Assert.Same(binary[0].Last, binary[1].Last);
        Assert.Equal(MessageType.Binary, binary[0].Last!.Type);
        var reader = new MessagePackReader(binary[0].Last!.Payload);
        Assert.Equal(4, reader.ReadMapHeader());
        Assert.Equal(("type", "presence.event"), (reader.ReadString(), reader.ReadString()));
    }

    public void Dispose()
    {
        foreach (var hub in _hubs) hub.Dispose();
    }
}
