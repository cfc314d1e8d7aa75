using System.Text;
using Wirehub.Realtime.Broker;
using Wirehub.Realtime.Channels;

namespace Wirehub.Realtime.Tests.Broker;

public sealed class InMemoryPresenceStoreTests
{
    private readonly InMemoryBroker _broker = new(_ => new NamespaceOptions(), new InMemoryBrokerOptions { SweepInterval = TimeSpan.Zero });
    private readonly RecordingHandler _handler = new();
    private readonly InMemoryPresenceStore _store;

    public InMemoryPresenceStoreTests()
    {
        _broker.SetEventHandler(_handler);
        _store = new InMemoryPresenceStore(_broker);
    }

    private static PresenceMember Member(string connectionId, string data) =>
        new("c-" + connectionId, connectionId, Encoding.UTF8.GetBytes(data));

    [Fact]
    public async Task Enter_then_update_then_leave_are_delivered_as_events()
    {
        await _broker.SubscribeAsync("room:a");
        await _store.EnterAsync("room:a", Member("k1", "1"));
        Assert.True(await _store.UpdateAsync("room:a", Member("k1", "2")));
        Assert.True(await _store.LeaveAsync("room:a", "k1"));
        Assert.Equal([PresenceAction.Enter, PresenceAction.Update, PresenceAction.Leave], _handler.PresenceEvents.Select(e => e.Action));
    }

    [Fact]
    public async Task Members_lists_everyone_present()
    {
        await _store.EnterAsync("room:a", Member("k1", "1"));
        await _store.EnterAsync("room:a", Member("k2", "2"));
        await _store.LeaveAsync("room:a", "k1");
        var members = await _store.MembersAsync("room:a");
        Assert.Equal(["k2"], members.Select(m => m.ConnectionId));
    }

    [Fact]
    public async Task Update_or_leave_of_an_absent_connection_reports_false()
    {
        Assert.False(await _store.UpdateAsync("room:a", Member("k1", "1")));
        Assert.False(await _store.LeaveAsync("room:a", "k1"));
    }
}
