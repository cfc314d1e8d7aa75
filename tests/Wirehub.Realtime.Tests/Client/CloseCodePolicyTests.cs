using Wirehub.Realtime.Client;

namespace Wirehub.Realtime.Tests.Client;

public class CloseCodePolicyTests
{
    [Theory]
    [InlineData(1000)]
    [InlineData(1009)]
    [InlineData(4001)]
    [InlineData(4003)]
    public void Codes_that_forbid_reconnecting_stop_the_client(ushort code) =>
        Assert.Equal(ReconnectKind.Stop, CloseCodePolicy.For(code));

    [Theory]
    [InlineData(1001)]
    [InlineData(1006)]
    [InlineData(1008)]
    [InlineData(1011)]
    [InlineData(1013)]
    public void Other_closes_reconnect_with_recovery(ushort code) =>
        Assert.Equal(ReconnectKind.Recover, CloseCodePolicy.For(code));

    [Fact]
    public void Token_expired_4002_reconnects_with_a_new_token() =>
        Assert.Equal(ReconnectKind.NewToken, CloseCodePolicy.For(4002));

    [Fact]
    public void Invalid_recovery_key_4004_reconnects_without_recovery() =>
        Assert.Equal(ReconnectKind.WithoutRecovery, CloseCodePolicy.For(4004));
}
