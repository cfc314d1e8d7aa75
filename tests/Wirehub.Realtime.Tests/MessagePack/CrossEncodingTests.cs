using System.Text.Json;
using MessagePack;
using Wirehub.Realtime.Tests.MessagePack.Support;
using Wirehub.Realtime.Tests.Server.Support;

namespace Wirehub.Realtime.Tests.MessagePack;

/// <summary>JSON and MessagePack connections share channels, history, presence and recovery with the same semantics.</summary>
public sealed class CrossEncodingTests : IAsyncLifetime
{
    private RealtimeServer _server = null!;

    public async Task InitializeAsync() => _server = await RealtimeServer.StartAsync(o => o.PublishRate = 1000);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<(MessagePackWireClient Client, JsonElement Connected)> ConnectMessagePackAsync(string connect = "{\"type\":\"connect\",\"id\":1}") =>
        MessagePackWireClient.ConnectAsync(_server.ConnectionUri, connect);

    private static string Data(int n) => $"{{\"n\":{n},\"text\":\"é{n}\\n\",\"list\":[1,2.5,-7,null,true,{{}}],\"big\":18446744073709551615}}";

    private static void AssertSameData(string expected, JsonElement actual)
    {
        using var document = JsonDocument.Parse(expected);
        Assert.True(JsonElement.DeepEquals(document.RootElement, actual), $"{expected} ≠ {actual.GetRawText()}");
    }

    [Fact]
    public async Task Messages_published_over_JSON_reach_a_MessagePack_subscriber_in_order_with_the_same_data()
    {
        var (subscriber, _) = await ConnectMessagePackAsync();
        await using var ownedSubscriber = subscriber;
        var (publisher, _) = await _server.ConnectAsync();
        await using var ownedPublisher = publisher;
        await subscriber.RequestAsync("{\"type\":\"subscribe\",\"id\":2,\"channel\":\"room:x\"}", "subscribed");

        for (int n = 1; n <= 20; n++)
            await publisher.SendAsync($"{{\"type\":\"publish\",\"id\":{n + 1},\"channel\":\"room:x\",\"data\":{Data(n)}}}");
        var received = new List<JsonElement>();
        for (int n = 1; n <= 20; n++) received.Add(await subscriber.ExpectAsync("message"));

        Assert.Equal(Enumerable.Range(1, 20).Select(n => (long)n), received.Select(m => m.GetProperty("serial").GetInt64()));
        for (int n = 1; n <= 20; n++) AssertSameData(Data(n), received[n - 1].GetProperty("data"));
    }

    [Fact]
    public async Task Messages_published_over_MessagePack_reach_a_JSON_subscriber_in_order_with_the_same_data()
    {
        var (subscriber, _) = await _server.ConnectAsync();
        await using var ownedSubscriber = subscriber;
        var (publisher, _) = await ConnectMessagePackAsync();
        await using var ownedPublisher = publisher;
        await subscriber.RequestAsync("{\"type\":\"subscribe\",\"id\":2,\"channel\":\"room:y\"}", "subscribed");

        for (int n = 1; n <= 20; n++)
            await publisher.SendAsync($"{{\"type\":\"publish\",\"id\":{n + 1},\"channel\":\"room:y\",\"data\":{Data(n)}}}");
        var received = new List<JsonElement>();
        for (int n = 1; n <= 20; n++) received.Add(await subscriber.ExpectAsync("message"));

        Assert.Equal(Enumerable.Range(1, 20).Select(n => (long)n), received.Select(m => m.GetProperty("serial").GetInt64()));
        for (int n = 1; n <= 20; n++) AssertSameData(Data(n), received[n - 1].GetProperty("data"));
    }

    [Fact]
    public async Task A_whole_float_published_over_MessagePack_stays_a_float_for_both_encodings()
    {
        var (binary, _) = await ConnectMessagePackAsync();
        await using var ownedBinary = binary;
        var (json, _) = await _server.ConnectAsync();
        await using var ownedJson = json;
        await binary.RequestAsync("{\"type\":\"subscribe\",\"id\":2,\"channel\":\"room:f\"}", "subscribed");
        await json.RequestAsync("{\"type\":\"subscribe\",\"id\":2,\"channel\":\"room:f\"}", "subscribed");

        var frame = new System.Buffers.ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(frame);
        writer.WriteMapHeader(4);
        writer.Write("type");
        writer.Write("publish");
        writer.Write("id");
        writer.Write(3);
        writer.Write("channel");
        writer.Write("room:f");
        writer.Write("data");
        writer.Write(1.0);
        writer.Flush();
        await binary.SendBytesAsync(frame.WrittenSpan.ToArray());
        // The ack and the publisher's own push come in either order.
        byte[][] frames = [(await binary.ReceiveBytesAsync())!, (await binary.ReceiveBytesAsync())!];
        byte[] push = frames.Single(f => MessagePackWireClient.ToJson(f).GetProperty("type").GetString() == "message");
        var overJson = await json.ExpectAsync("message");

        Assert.Equal(MessagePackCode.Float64, CodeOfData(push));
        Assert.Equal("1.0", overJson.GetProperty("data").GetRawText());
    }

    /// <summary>The first byte of the <c>data</c> value of a frame: its MessagePack type.</summary>
    private static byte? CodeOfData(byte[] frame)
    {
        var reader = new MessagePackReader(frame);
        int entries = reader.ReadMapHeader();
        for (int i = 0; i < entries; i++)
        {
            if (reader.ReadString() == "data") return reader.NextCode;
            reader.Skip();
        }
        return null;
    }

    [Fact]
    public async Task Ack_over_MessagePack_carries_the_serial_and_epoch_JSON_subscribers_see()
    {
        var (json, _) = await _server.ConnectAsync();
        await using var ownedJson = json;
        var (binary, _) = await ConnectMessagePackAsync();
        await using var ownedBinary = binary;
        await json.RequestAsync("{\"type\":\"subscribe\",\"id\":2,\"channel\":\"room:a\"}", "subscribed");

        var ack = await binary.RequestAsync("{\"type\":\"publish\",\"id\":7,\"channel\":\"room:a\",\"data\":\"hi\",\"messageId\":\"m-1\"}", "ack");
        var message = await json.ExpectAsync("message");

        Assert.Equal((7L, "room:a", "m-1"), (ack.GetProperty("id").GetInt64(), ack.GetProperty("channel").GetString(), ack.GetProperty("messageId").GetString()));
        Assert.Equal((ack.GetProperty("serial").GetInt64(), ack.GetProperty("epoch").GetString(), "m-1"),
            (message.GetProperty("serial").GetInt64(), message.GetProperty("epoch").GetString(), message.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Presence_entered_over_JSON_is_seen_and_listed_over_MessagePack()
    {
        var (watcher, _) = await ConnectMessagePackAsync();
        await using var ownedWatcher = watcher;
        var (member, connected) = await _server.ConnectAsync("{\"type\":\"connect\",\"id\":1,\"clientId\":\"ada\"}");
        await using var ownedMember = member;
        await watcher.RequestAsync("{\"type\":\"subscribe\",\"id\":2,\"channel\":\"room:p\"}", "subscribed");
        await member.RequestAsync("{\"type\":\"subscribe\",\"id\":2,\"channel\":\"room:p\"}", "subscribed");

        await member.RequestSeenByItselfAsync("{\"type\":\"presence.enter\",\"id\":3,\"channel\":\"room:p\",\"data\":{\"name\":\"Ada\",\"age\":36.5}}", "ok", "presence.event");
        var seen = await watcher.ExpectAsync("presence.event");
        var listed = await watcher.RequestAsync("{\"type\":\"presence.get\",\"id\":3,\"channel\":\"room:p\"}", "presence");

        Assert.Equal(("enter", "ada"), (seen.GetProperty("action").GetString(), seen.GetProperty("member").GetProperty("clientId").GetString()));
        AssertSameData("{\"name\":\"Ada\",\"age\":36.5}", seen.GetProperty("member").GetProperty("data"));
        var entry = Assert.Single(listed.GetProperty("members").EnumerateArray());
        Assert.Equal(connected.GetProperty("connectionId").GetString(), entry.GetProperty("connectionId").GetString());
        AssertSameData("{\"name\":\"Ada\",\"age\":36.5}", entry.GetProperty("data"));
    }

    [Fact]
    public async Task Presence_entered_over_MessagePack_is_seen_over_JSON()
    {
        var (watcher, _) = await _server.ConnectAsync();
        await using var ownedWatcher = watcher;
        var (member, _) = await ConnectMessagePackAsync("{\"type\":\"connect\",\"id\":1,\"clientId\":\"bob\"}");
        await using var ownedMember = member;
        await watcher.RequestAsync("{\"type\":\"subscribe\",\"id\":2,\"channel\":\"room:q\"}", "subscribed");
        await member.RequestAsync("{\"type\":\"subscribe\",\"id\":2,\"channel\":\"room:q\"}", "subscribed");

        await member.SendAsync("{\"type\":\"presence.enter\",\"id\":3,\"channel\":\"room:q\",\"data\":[\"x\",2]}");
        var seen = await watcher.ExpectAsync("presence.event");

        Assert.Equal("bob", seen.GetProperty("member").GetProperty("clientId").GetString());
        AssertSameData("[\"x\",2]", seen.GetProperty("member").GetProperty("data"));
    }

    [Fact]
    public async Task History_over_MessagePack_returns_messages_published_over_JSON()
    {
        var (publisher, _) = await _server.ConnectAsync();
        await using var ownedPublisher = publisher;
        for (int n = 1; n <= 3; n++)
            await publisher.RequestAsync($"{{\"type\":\"publish\",\"id\":{n + 1},\"channel\":\"room:h\",\"data\":{Data(n)}}}", "ack");
        var (reader, _) = await ConnectMessagePackAsync();
        await using var ownedReader = reader;

        var history = await reader.RequestAsync("{\"type\":\"history\",\"id\":2,\"channel\":\"room:h\",\"direction\":\"backward\"}", "history");

        var messages = history.GetProperty("messages").EnumerateArray().ToArray();
        Assert.Equal([3L, 2L, 1L], messages.Select(m => m.GetProperty("serial").GetInt64()));
        AssertSameData(Data(3), messages[0].GetProperty("data"));
        Assert.Equal(3, history.GetProperty("position").GetProperty("serial").GetInt64());
    }

    [Fact]
    public async Task Subscribe_with_rewind_over_MessagePack_replays_then_goes_live()
    {
        var (publisher, _) = await _server.ConnectAsync();
        await using var ownedPublisher = publisher;
        for (int n = 1; n <= 3; n++)
            await publisher.RequestAsync($"{{\"type\":\"publish\",\"id\":{n + 1},\"channel\":\"room:r\",\"data\":{n}}}", "ack");
        var (subscriber, _) = await ConnectMessagePackAsync();
        await using var ownedSubscriber = subscriber;

        await subscriber.RequestAsync("{\"type\":\"subscribe\",\"id\":2,\"channel\":\"room:r\",\"rewind\":2}", "subscribed");
        var replayed = new[] { await subscriber.ExpectAsync("message"), await subscriber.ExpectAsync("message") };
        await publisher.RequestAsync("{\"type\":\"publish\",\"id\":9,\"channel\":\"room:r\",\"data\":4}", "ack");
        var live = await subscriber.ExpectAsync("message");

        Assert.Equal([2, 3, 4], replayed.Append(live).Select(m => m.GetProperty("data").GetInt32()));
    }

    [Fact]
    public async Task Recovery_over_MessagePack_replays_what_was_published_over_JSON_while_dropped()
    {
        var (subscriber, first) = await ConnectMessagePackAsync();
        var subscribed = await subscriber.RequestAsync("{\"type\":\"subscribe\",\"id\":2,\"channel\":\"room:v\"}", "subscribed");
        string epoch = subscribed.GetProperty("position").GetProperty("epoch").GetString()!;
        var (publisher, _) = await _server.ConnectAsync();
        await using var ownedPublisher = publisher;
        await publisher.RequestAsync("{\"type\":\"publish\",\"id\":2,\"channel\":\"room:v\",\"data\":1}", "ack");
        await subscriber.ExpectAsync("message");
        string recoveryKey = first.GetProperty("recoveryKey").GetString()!;
        await subscriber.DisposeAsync(); // dropped without a close handshake

        for (int n = 2; n <= 4; n++)
            await publisher.RequestAsync($"{{\"type\":\"publish\",\"id\":{n + 1},\"channel\":\"room:v\",\"data\":{n}}}", "ack");
        var (resumed, connected) = await ConnectMessagePackAsync(
            $"{{\"type\":\"connect\",\"id\":1,\"recover\":{{\"key\":\"{recoveryKey}\",\"positions\":{{\"room:v\":{{\"serial\":1,\"epoch\":\"{epoch}\"}}}}}}}}");
        await using var ownedResumed = resumed;
        var replayed = new[] { await resumed.ExpectAsync("message"), await resumed.ExpectAsync("message"), await resumed.ExpectAsync("message") };

        Assert.True(connected.GetProperty("recovered").GetBoolean());
        Assert.True(Assert.Single(connected.GetProperty("subscriptions").EnumerateArray()).GetProperty("recovered").GetBoolean());
        Assert.Equal([2, 3, 4], replayed.Select(m => m.GetProperty("data").GetInt32()));
    }
}
