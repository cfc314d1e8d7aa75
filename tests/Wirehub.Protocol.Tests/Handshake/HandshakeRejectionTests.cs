namespace Wirehub.Protocol.Tests.Handshake;

public class HandshakeRejectionTests
{
    public static TheoryData<HandshakeRejection> Cached() =>
    [
        HandshakeRejection.MethodNotGet, HandshakeRejection.HttpVersionTooOld, HandshakeRejection.MissingHost,
        HandshakeRejection.MissingUpgrade, HandshakeRejection.MissingConnectionUpgrade, HandshakeRejection.MissingKey,
        HandshakeRejection.InvalidKey, HandshakeRejection.MissingVersion, HandshakeRejection.UnsupportedVersion,
        HandshakeRejection.OriginNotAllowed,
    ];

    [Theory]
    [MemberData(nameof(Cached))]
    public void Cached_rejection_is_a_single_line_with_a_client_error_status(HandshakeRejection rejection)
    {
        Assert.InRange(rejection.StatusCode, 400, 499);
        Assert.DoesNotContain('\r', rejection.Reason);
        Assert.DoesNotContain('\n', rejection.Reason);
        Assert.NotEmpty(rejection.Reason);
    }

    [Fact]
    public void Cached_rejection_is_the_same_instance_every_time()
    {
        Assert.Same(HandshakeRejection.InvalidKey, HandshakeRejection.InvalidKey);
    }

    [Fact]
    public void Origin_rejection_is_403()
    {
        Assert.Equal(403, HandshakeRejection.OriginNotAllowed.StatusCode);
        Assert.False(HandshakeRejection.OriginNotAllowed.RequiresVersionHeader);
    }

    [Fact]
    public void Custom_rejection_keeps_status_and_reason()
    {
        var rejection = new HandshakeRejection(403, "Tokens expired; sign in again.");

        Assert.Equal(403, rejection.StatusCode);
        Assert.Equal("Tokens expired; sign in again.", rejection.Reason);
    }

    [Theory]
    [InlineData(200)]
    [InlineData(399)]
    [InlineData(500)]
    public void Custom_rejection_with_a_status_outside_4xx_is_refused(int status)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new HandshakeRejection(status, "reason"));
    }

    [Theory]
    [InlineData("two\r\nlines")]
    [InlineData("two\nlines")]
    [InlineData("")]
    public void Custom_rejection_with_a_reason_that_is_not_one_line_is_refused(string reason)
    {
        Assert.ThrowsAny<ArgumentException>(() => new HandshakeRejection(400, reason));
    }
}
