using System.Text.Json;
using MessagePack;
using Wirehub.Realtime.Tests.MessagePack.Support;
using Wirehub.Realtime.Tests.Server.Support;
using Wirehub.WebSockets;

namespace Wirehub.Realtime.Tests.MessagePack;

/// <summary>A malformed request gets the same error over wirehub.v1.msgpack as over JSON, and the connection survives.</summary>
public sealed class MalformedMessagePackRequestTests : IAsyncLifetime
{
    private RealtimeServer _server = null!;

    public async Task InitializeAsync() => _server = await RealtimeServer.StartAsync(o => o.MaxMessageSize = 1024);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<(MessagePackWireClient Client, JsonElement Connected)> ConnectMessagePackAsync() =>
        MessagePackWireClient.ConnectAsync(_server.ConnectionUri);

    private static (int Code, long? Id, bool Retriable, string? Message) Summary(JsonElement error) => (
        error.GetProperty("code").GetInt32(),
        error.TryGetProperty("id", out var id) ? id.GetInt64() : null,
        error.GetProperty("retriable").GetBoolean(),
        error.GetProperty("message").GetString());

    [Theory]
    [InlineData("{\"id\":4,\"channel\":\"room:a\"}")]
    [InlineData("{\"type\":42,\"id\":4}")]
    [InlineData("{\"type\":\"dance\",\"id\":4}")]
    [InlineData("{\"type\":\"connect\",\"id\":4}")]
    [InlineData("{\"type\":\"refresh\",\"id\":4,\"token\":\"t\"}")]
    [InlineData("{\"type\":\"refresh\",\"id\":4,\"token\":5}")]
    [InlineData("{\"type\":\"subscribe\",\"channel\":\"room:a\"}")]
    [InlineData("{\"type\":\"subscribe\",\"id\":0,\"channel\":\"room:a\"}")]
    [InlineData("{\"type\":\"subscribe\",\"id\":-3,\"channel\":\"room:a\"}")]
    [InlineData("{\"type\":\"subscribe\",\"id\":1.5,\"channel\":\"room:a\"}")]
    [InlineData("{\"type\":\"subscribe\",\"id\":4}")]
    [InlineData("{\"type\":\"subscribe\",\"id\":4,\"channel\":\"room lobby\"}")]
    [InlineData("{\"type\":\"subscribe\",\"id\":4,\"channel\":[\"room:a\"]}")]
    [InlineData("{\"type\":\"subscribe\",\"id\":4,\"channel\":\"room:a\",\"since\":42}")]
    [InlineData("{\"type\":\"subscribe\",\"id\":4,\"channel\":\"room:a\",\"since\":{\"serial\":-1,\"epoch\":\"e\"}}")]
    [InlineData("{\"type\":\"subscribe\",\"id\":4,\"channel\":\"room:a\",\"rewind\":0}")]
    [InlineData("{\"type\":\"subscribe\",\"id\":4,\"channel\":\"room:a\",\"rewind\":5,\"since\":{\"serial\":1,\"epoch\":\"e\"}}")]
    [InlineData("{\"type\":\"unsubscribe\",\"id\":4}")]
    [InlineData("{\"type\":\"unsubscribe\",\"id\":4,\"channel\":\"room:a\"}")]
    [InlineData("{\"type\":\"publish\",\"id\":4,\"channel\":\"room:a\"}")]
    [InlineData("{\"type\":\"publish\",\"id\":4,\"channel\":\"room:a\",\"data\":1,\"messageId\":7}")]
    [InlineData("{\"type\":\"publish\",\"id\":4,\"channel\":\"room:a\",\"data\":1,\"messageId\":\"\"}")]
    [InlineData("{\"type\":\"history\",\"id\":4,\"channel\":\"room:a\",\"limit\":1001}")]
    [InlineData("{\"type\":\"history\",\"id\":4,\"channel\":\"room:a\",\"direction\":\"sideways\"}")]
    [InlineData("{\"type\":\"presence.enter\",\"id\":4,\"channel\":\"\"}")]
    [InlineData("{\"type\":\"presence.enter\",\"id\":4,\"channel\":\"room:a\",\"data\":{}}")]
    [InlineData("{\"type\":\"presence.update\",\"id\":4}")]
    [InlineData("{\"type\":\"presence.leave\",\"id\":4,\"channel\":7}")]
    [InlineData("{\"type\":\"presence.get\",\"channel\":\"room:a\"}")]
    public async Task Malformed_request_gets_the_same_error_as_over_JSON(string request)
    {
        var (json, _) = await _server.ConnectAsync();
        await using var ownedJson = json;
        var (binary, _) = await ConnectMessagePackAsync();
        await using var ownedBinary = binary;

        var overJson = Summary(await json.RequestAsync(request, "error"));
        var overMessagePack = Summary(await binary.RequestAsync(request, "error"));

        Assert.Equal(overJson, overMessagePack);
        await binary.RequestAsync("{\"type\":\"ping\"}", "pong");
    }

    [Fact]
    public async Task Max_message_size_counts_the_data_as_sent_in_MessagePack()
    {
        var (client, _) = await ConnectMessagePackAsync();
        await using var owned = client;
        // 1000 control characters: 1003 bytes of MessagePack (within the 1024 limit), 6002 once escaped in JSON.
        await client.SendBytesAsync(Publish(5, new string('\u0001', 1000)));
        var accepted = await client.ExpectAsync("ack");
        // 1027 letters: 1030 bytes of MessagePack, over the limit.
        await client.SendBytesAsync(Publish(6, new string('x', 1027)));
        var refused = await client.ExpectAsync("error");

        Assert.Equal(5, accepted.GetProperty("id").GetInt64());
        Assert.Equal((413, 6L), (refused.GetProperty("code").GetInt32(), refused.GetProperty("id").GetInt64()));
        Assert.Contains("1030 bytes", refused.GetProperty("message").GetString());
    }

    private static byte[] Publish(int id, string data) => Frame((ref MessagePackWriter w) =>
    {
        w.WriteMapHeader(4);
        w.Write("type");
        w.Write("publish");
        w.Write("id");
        w.Write(id);
        w.Write("channel");
        w.Write("room:a");
        w.Write("data");
        w.Write(data);
    });

    [Fact]
    public async Task Bin_data_is_refused_with_400_naming_bin_and_the_request_id()
    {
        var (client, _) = await ConnectMessagePackAsync();
        await using var owned = client;
        await client.SendBytesAsync(Frame((ref MessagePackWriter w) =>
        {
            w.WriteMapHeader(4);
            w.Write("type");
            w.Write("publish");
            w.Write("channel");
            w.Write("room:a");
            w.Write("data");
            w.Write(new byte[] { 1, 2, 3 });
            w.Write("id");
            w.Write(9);
        }));

        var error = await client.ExpectAsync("error");

        Assert.Equal((400, 9L), (error.GetProperty("code").GetInt32(), error.GetProperty("id").GetInt64()));
        Assert.Contains("bin", error.GetProperty("message").GetString());
        await client.RequestAsync("{\"type\":\"ping\"}", "pong");
    }

    [Fact]
    public async Task Data_with_a_non_str_map_key_is_refused_with_400()
    {
        var (client, _) = await ConnectMessagePackAsync();
        await using var owned = client;
        await client.SendBytesAsync(Frame((ref MessagePackWriter w) =>
        {
            w.WriteMapHeader(4);
            w.Write("type");
            w.Write("presence.enter");
            w.Write("id");
            w.Write(3);
            w.Write("channel");
            w.Write("room:a");
            w.Write("data");
            w.WriteMapHeader(1);
            w.Write(1);
            w.Write("one");
        }));

        var error = await client.ExpectAsync("error");

        Assert.Equal((400, 3L), (error.GetProperty("code").GetInt32(), error.GetProperty("id").GetInt64()));
        Assert.Contains("keys must be str", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_field_JSON_cannot_carry_is_reported_as_mistyped()
    {
        var (client, _) = await ConnectMessagePackAsync();
        await using var owned = client;
        await client.SendBytesAsync(Frame((ref MessagePackWriter w) =>
        {
            w.WriteMapHeader(3);
            w.Write("type");
            w.Write("subscribe");
            w.Write("id");
            w.Write(8);
            w.Write("channel");
            w.Write(new byte[] { 0x72 });
        }));

        var error = await client.ExpectAsync("error");

        Assert.Equal((400, 8L), (error.GetProperty("code").GetInt32(), error.GetProperty("id").GetInt64()));
        Assert.Equal("\"channel\" must be a string.", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task An_unknown_field_JSON_cannot_carry_is_ignored()
    {
        var (client, _) = await ConnectMessagePackAsync();
        await using var owned = client;
        await client.SendBytesAsync(Frame((ref MessagePackWriter w) =>
        {
            w.WriteMapHeader(4);
            w.Write("type");
            w.Write("subscribe");
            w.Write("id");
            w.Write(8);
            w.Write("channel");
            w.Write("room:a");
            w.Write(42);
            w.Write(new byte[] { 1 });
        }));

        Assert.Equal(8, (await client.ExpectAsync("subscribed")).GetProperty("id").GetInt64());
    }

    [Theory]
    [InlineData("c1")]                   // never used
    [InlineData("93010203")]             // an array, not a map
    [InlineData("82a474797065")]         // cut short
    [InlineData("81a474797065a470696e6701")] // a map, then more
    public async Task Binary_frame_that_is_not_one_MessagePack_map_gets_error_400(string hex)
    {
        var (client, _) = await ConnectMessagePackAsync();
        await using var owned = client;
        await client.SendBytesAsync(Convert.FromHexString(hex));

        var error = await client.ExpectAsync("error");

        Assert.Equal(400, error.GetProperty("code").GetInt32());
        Assert.False(error.TryGetProperty("id", out _));
        Assert.Contains("MessagePack", error.GetProperty("message").GetString());
        await client.RequestAsync("{\"type\":\"ping\"}", "pong");
    }

    [Fact]
    public async Task Text_frame_on_a_MessagePack_connection_gets_error_400_saying_to_send_binary()
    {
        var (client, _) = await ConnectMessagePackAsync();
        await using var owned = client;
        await client.Socket.SendAsync("{\"type\":\"ping\"}");

        var error = await client.ExpectAsync("error");

        Assert.Equal(400, error.GetProperty("code").GetInt32());
        Assert.Contains("Text frames are not read on a wirehub.v1.msgpack connection", error.GetProperty("message").GetString());
        await client.RequestAsync("{\"type\":\"ping\"}", "pong");
    }

    [Fact]
    public async Task Malformed_connect_closes_with_4001_as_over_JSON()
    {
        await using var client = await MessagePackWireClient.OpenAsync(_server.ConnectionUri);
        await client.SendBytesAsync(Frame((ref MessagePackWriter w) =>
        {
            w.WriteMapHeader(2);
            w.Write("token");
            w.Write(new byte[] { 1 });
            w.Write("type");
            w.Write("connect");
        }));

        Assert.Equal((ushort)4001, await client.ExpectCloseAsync());
    }

    [Fact]
    public async Task Request_before_connect_gets_error_401()
    {
        await using var client = await MessagePackWireClient.OpenAsync(_server.ConnectionUri);

        var error = await client.RequestAsync("{\"type\":\"subscribe\",\"id\":2,\"channel\":\"room:a\"}", "error");

        Assert.Equal((401, 2L), (error.GetProperty("code").GetInt32(), error.GetProperty("id").GetInt64()));
        await client.RequestAsync("{\"type\":\"connect\",\"id\":1}", "connected");
    }

    private delegate void Writing(ref MessagePackWriter writer);

    private static byte[] Frame(Writing write)
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(output);
        write(ref writer);
        writer.Flush();
        return output.WrittenSpan.ToArray();
    }
}
