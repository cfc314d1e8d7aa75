using System.Buffers.Text;
using Wirehub.Realtime.Server.Transports;
using Wirehub.Realtime.Tests.Transports.Support;

namespace Wirehub.Realtime.Tests.Transports;

public sealed class SessionIdTests
{
    [Fact]
    public void Id_is_128_bits_in_base64url()
    {
        string id = TransportSessionId.New();
        Assert.Equal(22, id.Length);
        Assert.Matches("^[A-Za-z0-9_-]{22}$", id);
        Assert.Equal(16, Base64Url.DecodeFromChars(id).Length);
    }

    [Fact]
    public void Every_bit_of_the_ids_is_unbiased()
    {
        // 2000 ids from a uniform source: each bit is set 1000 ± 16 times (one standard deviation); a generator that
        // fixes or skews any bit (a counter, a timestamp, a non-cryptographic seed) lands far outside 850..1150.
        const int count = 2000;
        var ones = new int[TransportSessionId.Bits];
        var seen = new HashSet<string>();
        for (int i = 0; i < count; i++)
        {
            string id = TransportSessionId.New();
            Assert.True(seen.Add(id), "An id repeated.");
            byte[] bytes = Base64Url.DecodeFromChars(id);
            for (int bit = 0; bit < TransportSessionId.Bits; bit++)
                if ((bytes[bit / 8] & (1 << (bit % 8))) != 0) ones[bit]++;
        }
        Assert.All(ones, n => Assert.InRange(n, 850, 1150));
    }

    [Fact]
    public async Task Sessions_opened_over_http_get_distinct_ids()
    {
        await using var server = await FallbackServer.StartAsync();
        var ids = new List<string>();
        for (int i = 0; i < 10; i++)
        {
            await using var client = await PollClient.OpenAsync(server.Port);
            ids.Add(client.SessionId);
            using var _ = await client.DeleteAsync();
        }
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Equal(TransportSessionId.Length, id.Length));
    }
}
