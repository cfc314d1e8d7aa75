using System.Text;
using Wirehub.Realtime.Broker;
using Wirehub.Redis.Tests.Support;

namespace Wirehub.Redis.Tests;

public sealed class RedisPresenceStoreTests(RedisFixture redis) : IClassFixture<RedisFixture>, IAsyncLifetime
{
    private readonly string _prefix = RedisFixture.NewPrefix();
    private readonly List<TestNode> _nodes = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes) await node.DisposeAsync();
    }

    private async Task<TestNode> NodeAsync()
    {
        var node = await TestNode.StartAsync(redis.Server.Configuration, _prefix);
        _nodes.Add(node);
        return node;
    }

    private static PresenceMember Member(string connectionId, string data) => new("c-" + connectionId, connectionId, Encoding.UTF8.GetBytes(data));

    private static string Text(PresenceMember member) => Encoding.UTF8.GetString(member.Data.Span);

    [Fact]
    public async Task Enter_update_leave_reach_subscribers_on_other_nodes_in_order()
    {
        var watcher = await NodeAsync();
        var node = await NodeAsync();
        await watcher.Broker.SubscribeAsync("room:a");
        await node.Presence.EnterAsync("room:a", Member("k1", "{\"name\":\"Ada\"}"));
        Assert.True(await node.Presence.UpdateAsync("room:a", Member("k1", "{\"name\":\"Ada L\"}")));
        Assert.True(await node.Presence.LeaveAsync("room:a", "k1"));
        await Eventually.TrueAsync(() => watcher.Handler.PresenceEvents.Count == 3, "three presence events");
        Assert.Equal([PresenceAction.Enter, PresenceAction.Update, PresenceAction.Leave], watcher.Handler.PresenceEvents.Select(e => e.Action));
        var update = watcher.Handler.PresenceEvents.ElementAt(1);
        Assert.Equal("room:a", update.Channel);
        Assert.Equal("c-k1", update.Member.ClientId);
        Assert.Equal("k1", update.Member.ConnectionId);
        Assert.Equal("{\"name\":\"Ada L\"}", Text(update.Member));
    }

    [Fact]
    public async Task Entering_again_is_an_update()
    {
        var watcher = await NodeAsync();
        await watcher.Broker.SubscribeAsync("room:a");
        await watcher.Presence.EnterAsync("room:a", Member("k1", "1"));
        await watcher.Presence.EnterAsync("room:a", Member("k1", "2"));
        await Eventually.TrueAsync(() => watcher.Handler.PresenceEvents.Count == 2, "two presence events");
        Assert.Equal([PresenceAction.Enter, PresenceAction.Update], watcher.Handler.PresenceEvents.Select(e => e.Action));
    }

    [Fact]
    public async Task Presence_events_and_messages_of_a_channel_arrive_in_the_order_they_happened()
    {
        var watcher = await NodeAsync();
        var node = await NodeAsync();
        var order = new List<string>();
        watcher.Broker.SetEventHandler(new OrderRecorder(order));
        await watcher.Broker.SubscribeAsync("room:a");
        await node.Broker.PublishAsync("room:a", Encoding.UTF8.GetBytes("1"), null, null);
        await node.Presence.EnterAsync("room:a", Member("k1", "1"));
        await node.Broker.PublishAsync("room:a", Encoding.UTF8.GetBytes("2"), null, null);
        await node.Presence.LeaveAsync("room:a", "k1");
        await Eventually.TrueAsync(() => { lock (order) return order.Count == 4; }, "two messages and two presence events");
        lock (order) Assert.Equal(["message 1", "presence Enter", "message 2", "presence Leave"], order);
    }

    [Fact]
    public async Task Members_read_the_same_from_every_node()
    {
        var first = await NodeAsync();
        var second = await NodeAsync();
        await first.Presence.EnterAsync("room:a", Member("k1", "{\"n\":1}"));
        await second.Presence.EnterAsync("room:a", Member("k2", "{\"n\":2}"));
        var fromFirst = await first.Presence.MembersAsync("room:a");
        var fromSecond = await second.Presence.MembersAsync("room:a");
        Assert.Equal(["k1", "k2"], fromFirst.Select(m => m.ConnectionId).Order());
        Assert.Equal(fromFirst.Select(m => (m.ConnectionId, Text(m))).Order(), fromSecond.Select(m => (m.ConnectionId, Text(m))).Order());
    }

    [Fact]
    public async Task A_member_without_data_reads_back_with_empty_data()
    {
        var node = await NodeAsync();
        await node.Presence.EnterAsync("room:a", new PresenceMember("c-1", "k1", ReadOnlyMemory<byte>.Empty));
        var member = Assert.Single(await node.Presence.MembersAsync("room:a"));
        Assert.True(member.Data.IsEmpty);
    }

    [Fact]
    public async Task Update_or_leave_of_a_connection_not_present_is_refused()
    {
        var node = await NodeAsync();
        Assert.False(await node.Presence.UpdateAsync("room:a", Member("k1", "1")));
        Assert.False(await node.Presence.LeaveAsync("room:a", "k1"));
        Assert.Empty(await node.Presence.MembersAsync("room:a"));
    }

    [Fact]
    public async Task A_node_cannot_remove_the_entry_of_a_connection_served_by_another()
    {
        var owner = await NodeAsync();
        var other = await NodeAsync();
        await owner.Presence.EnterAsync("room:a", Member("k1", "1"));
        Assert.False(await other.Presence.LeaveAsync("room:a", "k1"));
        Assert.Single(await owner.Presence.MembersAsync("room:a"));
        Assert.True(await owner.Presence.LeaveAsync("room:a", "k1"));
    }

    [Fact]
    public async Task The_members_of_a_node_that_stopped_heartbeating_leave_with_events()
    {
        var watcher = await NodeAsync();
        await watcher.Broker.SubscribeAsync("room:a");
        await watcher.Presence.EnterAsync("room:a", Member("alive", "1"));
        var doomed = await TestNode.StartAsync(redis.Server.Configuration, _prefix);
        await doomed.Presence.EnterAsync("room:a", Member("k1", "1"));
        await doomed.Presence.EnterAsync("room:b", Member("k1", "1"));
        await Eventually.TrueAsync(() => watcher.Handler.PresenceEvents.Count >= 2, "the enters");
        Assert.Equal([(PresenceAction.Enter, "alive"), (PresenceAction.Enter, "k1")],
            watcher.Handler.PresenceEvents.Select(e => (e.Action, e.Member.ConnectionId)));
        // Disposing closes the node's connection and stops its heartbeat, as a crash would; its entries stay in Redis.
        await doomed.DisposeAsync();
        await Eventually.TrueAsync(() => watcher.Handler.PresenceEvents.Count >= 3, "the dead node's member to leave");
        Assert.Equal(3, watcher.Handler.PresenceEvents.Count);
        var leave = watcher.Handler.PresenceEvents.Last();
        Assert.Equal((PresenceAction.Leave, "k1"), (leave.Action, leave.Member.ConnectionId));
        Assert.Equal(["alive"], (await watcher.Presence.MembersAsync("room:a")).Select(m => m.ConnectionId));
        Assert.Empty(await watcher.Presence.MembersAsync("room:b"));
        Assert.Equal(":0", await redis.Server.CommandAsync("EXISTS", _prefix + "node:" + doomed.Node.NodeId + ":p"));
    }

    [Fact]
    public async Task The_members_of_a_live_node_stay()
    {
        var watcher = await NodeAsync();
        var node = await NodeAsync();
        await node.Presence.EnterAsync("room:a", Member("k1", "1"));
        int beats = 0;
        watcher.Node.Beaten += () => Interlocked.Increment(ref beats);
        // Thirty reaping rounds (200 ms apart) span twice the node timeout: a live node's heartbeats keep its members.
        await Eventually.TrueAsync(() => Volatile.Read(ref beats) >= 30, "thirty heartbeats of the watching node");
        Assert.Single(await watcher.Presence.MembersAsync("room:a"));
    }

    private sealed class OrderRecorder(List<string> order) : IBrokerEventHandler
    {
        public void OnMessage(ChannelMessage message)
        {
            lock (order) order.Add("message " + Encoding.UTF8.GetString(message.Data.Span));
        }

        public void OnPresence(PresenceEvent presenceEvent)
        {
            lock (order) order.Add("presence " + presenceEvent.Action);
        }
    }
}
